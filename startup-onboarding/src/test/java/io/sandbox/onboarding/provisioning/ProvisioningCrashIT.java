package io.sandbox.onboarding.provisioning;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.sandbox.core.fabric.admin.ChaincodeLifecycle;
import io.sandbox.core.fabric.admin.CommittedChaincode;
import io.sandbox.core.fabric.admin.OrdererAdmin;
import io.sandbox.core.fabric.admin.OrdererChannel;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.launcher.environment.EnvironmentConnection;
import io.sandbox.launcher.environment.Service;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged onboarding service ({@code target/quarkus-app/quarkus-run.jar}) is killed with SIGKILL while it
 * provisions approved applications, once in the middle of each of the steps PEER, CHANNEL and CHAINCODE, and started
 * again each time. The tenant's Keycloak work is begun with ORGANISATION and runs beside those steps
 * ({@link SandboxSteps}), so the kills in PEER and CHANNEL usually cut it half done (the test prints what each kill
 * left of it). Every provisioning still becomes READY, and nothing exists twice: one channel per startup on the
 * orderer, joined once by the regulator's peer, the chaincode committed at sequence 1 with both approvals, one Keycloak
 * group, one user per representative and one API client per startup, one provisioning per application, whose step log
 * shows exactly the attempts the kills cut short as INTERRUPTED.
 *
 * <p>Real processes and systems only: a devnet in a child JVM ({@link FabricTestNetworkMain}), the test environment's
 * PostgreSQL (a fresh database, dropped afterwards) and Keycloak, the API with a real regulator token. Run by failsafe
 * after packaging ({@code verify}).
 */
class ProvisioningCrashIT {

    /**
     * The steps to kill in; ORGANISATION is local (a sealed document in the step's own transaction), and the KEYCLOAK
     * step only waits for the work begun beside the Fabric steps.
     */
    private static final List<ProvisioningStep> KILL_POINTS = List.of(ProvisioningStep.PEER, ProvisioningStep.CHANNEL,
            ProvisioningStep.CHAINCODE);
    /**
     * How far into a step the kill may come, at most (ms): well within its usual length on a loaded machine (PEER
     * 0.05-0.2 s with a spare chaincode server ready, seconds for the first organisation after a start; CHANNEL
     * 0.4-3 s, CHAINCODE 1-3 s).
     */
    private static final Map<ProvisioningStep, Long> INTO_STEP = Map.of(ProvisioningStep.PEER, 30L,
            ProvisioningStep.CHANNEL, 300L, ProvisioningStep.CHAINCODE, 800L);
    /** Provisionings requested: a point missed on one (the step ended between two polls) is hit on a later one. */
    private static final int STARTUPS = 4;
    private static final int REPRESENTATIVES = 2;
    private static final List<String> STEPS_DONE = List.of("ORGANISATION", "PEER", "CHANNEL", "CHAINCODE", "KEYCLOAK",
            "SUPERVISION");
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** The network's classpath: without the service and its framework (see {@link FabricTestNetwork}). */
    private static final Pattern NOT_NEEDED = Pattern.compile(
            "quarkus|keycloak|hibernate|vertx|resteasy|selenium|smallrye|jboss|narayana|agroal|postgresql|flyway"
                    + "|micrometer|rest-assured|groovy|mvnpm|htmx|assertj|awaitility|junit|byte-buddy|antlr|jandex"
                    + "|startup-onboarding/target/classes|startup-onboarding/target/startup-onboarding[^/]*\\.jar"
                    + "|graalvm|mutiny|parsson|yasson|opentest4j");

    /** An attempt the kill cut short. */
    private record Hit(UUID provisioning, ProvisioningStep step, long attempt) {
    }

    @TempDir
    Path dir;

    /** Kills inside a kill point's step. */
    private final List<Hit> hits = new ArrayList<>();
    /** Every attempt a kill cut short (the kill points' and any a kill just after a step caught starting). */
    private final List<Hit> cut = new ArrayList<>();
    private int launches;
    private String base;
    private String token;
    private long tokenAt;

    @Test
    void killedInEachStepTheProvisioningsCompleteAndNothingIsDuplicated() throws Exception {
        Path jar = Path.of(System.getProperty("onboarding.jar", "target/quarkus-app/quarkus-run.jar"));
        assertThat(jar).as("the packaged service (run 'verify', not 'test')").exists();
        EnvironmentConnection env = SandboxTestEnvironment.connection();
        String tag = HexFormat.of().formatHex(randomBytes(4));
        String database = "onboarding_crash_" + tag;
        String url = env.jdbcUrl(database);
        byte[] secret = randomBytes(32);
        String masterKey = Base64.getEncoder().encodeToString(secret);

        execute(env, "create database " + database);
        Process network = null;
        Process service = null;
        try {
            network = startNetwork(masterKey);
            String[] files = awaitNetwork(network);
            Path profileFile = Path.of(files[0]);
            int port = freePort();
            base = "http://127.0.0.1:" + port;
            Map<String, String> childEnv = new HashMap<>(env.serviceEnvironment(Service.ONBOARDING));
            childEnv.put("SANDBOX_DB_URL", url);
            childEnv.put("SANDBOX_FABRIC_PROFILE", files[0]);
            childEnv.put("SANDBOX_FABRIC_MASTER_KEY", masterKey);
            childEnv.put("SANDBOX_FABRIC_CHAINCODE_PACKAGE", files[1]);
            childEnv.put("QUARKUS_HTTP_PORT", Integer.toString(port));

            service = launch(jar, childEnv);
            awaitReady(service);

            // applications through the API, approved by the regulator: each approval requests its provisioning
            Map<UUID, List<String>> applications = new LinkedHashMap<>();
            for (int i = 0; i < STARTUPS; i++) {
                List<String> emails = new ArrayList<>();
                for (int r = 0; r < REPRESENTATIVES; r++) {
                    emails.add("rep" + r + "-" + tag + "-" + i + "@crash.example");
                }
                UUID application = apply("Crash Pay " + tag + " " + i, emails);
                approve(application);
                applications.put(application, emails);
            }

            // kill the service once inside each kill point's step, and start it again
            Set<ProvisioningStep> remaining = EnumSet.copyOf(KILL_POINTS);
            try (Connection db = connect(env, url)) {
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (!remaining.isEmpty() && !allReady(db) && System.nanoTime() < deadline) {
                    Hit running = runningAttempt(db);
                    // an attempt a kill already cut stays unfinished until the new instance marks it interrupted
                    if (running == null || cut.contains(running) || !remaining.contains(running.step())) {
                        Thread.sleep(20);
                        continue;
                    }
                    // a random moment into the step, while its effects are under way (a step that ends first is
                    // killed just after it, and its point taken on a later provisioning)
                    Thread.sleep(ThreadLocalRandom.current().nextLong(0, INTO_STEP.get(running.step()) + 1));
                    service.destroyForcibly().waitFor(); // SIGKILL
                    List<Hit> cutNow = unfinished(db);
                    cutNow.removeAll(cut);
                    cut.addAll(cutNow); // the next run marks each of these INTERRUPTED
                    if (cutNow.contains(running)) {
                        hits.add(running);
                        remaining.remove(running.step());
                        System.out.printf("crash test: killed in %s of %s (attempt %d); its tenant then: %s%n",
                                running.step(), running.provisioning(), running.attempt(),
                                tenantState(env, slugOf(db, running.provisioning())));
                    } else {
                        System.out.printf("crash test: killed just after %s of %s ended, cutting %s%n", running.step(),
                                running.provisioning(), cutNow);
                    }
                    service = launch(jar, childEnv);
                }
            }
            assertThat(hits).as("kills inside a step").extracting(Hit::step)
                    .containsExactlyInAnyOrderElementsOf(KILL_POINTS);

            // the last instance finishes the work
            awaitReady(service);
            Process last = service;
            Map<UUID, JsonPath> provisionings = new LinkedHashMap<>();
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(last.isAlive()).as("the service runs").isTrue();
                for (UUID application : applications.keySet()) {
                    JsonPath view = provisioningOf(application);
                    assertThat(view.getString("status")).as("provisioning of " + application + ", error "
                            + view.getString("error")).isEqualTo("READY");
                    provisionings.put(application, view);
                }
            });
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);

            // the regulator's view: every step done once, the cut attempts INTERRUPTED, nothing failed
            for (JsonPath view : provisionings.values()) {
                UUID id = UUID.fromString(view.getString("id"));
                assertThat(view.getList("steps.findAll { it.outcome == 'DONE' }.step", String.class))
                        .as("steps done by " + id).containsExactlyElementsOf(STEPS_DONE);
                assertThat(view.getList("steps.findAll { it.outcome == 'INTERRUPTED' }.step", String.class))
                        .as("interrupted steps of " + id).containsExactlyElementsOf(cut.stream()
                                .filter(h -> h.provisioning().equals(id)).map(h -> h.step().name()).toList());
                assertThat(view.getList("steps.outcome", String.class)).as("outcomes of " + id)
                        .doesNotContain("FAILED").doesNotContainNull();
                assertThat(view.getString("currentStep")).isEqualTo("READY");
                System.out.printf("crash test: %s %s%n", view.getString("slug"), view.getList("steps", Map.class).stream()
                        .map(a -> a.get("step") + " " + a.get("outcome") + " " + Duration.between(
                                java.time.Instant.parse((String) a.get("startedAt")),
                                java.time.Instant.parse((String) a.get("finishedAt"))).toMillis() + "ms").toList());
            }
            assertDatabase(env, url, applications.keySet());
            assertFabric(profileFile, masterKey, provisionings.values());
            assertKeycloak(env, applications, provisionings);
            System.out.printf("crash test: %d provisionings READY; kills inside %s; attempts cut short %s; %d launches%n",
                    provisionings.size(), hits.stream().map(h -> h.step().name()).toList(),
                    cut.stream().map(h -> h.step().name()).toList(), launches);
        } finally {
            if (service != null) {
                service.destroyForcibly().waitFor();
            }
            if (network != null) {
                stopNetwork(network);
            }
            execute(env, "drop database if exists " + database + " with (force)");
        }
    }

    private void assertDatabase(EnvironmentConnection env, String url, Set<UUID> applications) throws SQLException {
        try (Connection c = connect(env, url)) {
            Map<UUID, Long> perApplication = new HashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select application_id, count(*) from provisioning group by application_id")) {
                while (rs.next()) {
                    perApplication.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
            assertThat(perApplication).as("provisionings per application")
                    .containsOnlyKeys(applications).allSatisfy((app, n) -> assertThat(n).isEqualTo(1));
            List<String> interrupted = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select id from provisioning_step_log where outcome = 'INTERRUPTED' order by id")) {
                while (rs.next()) {
                    interrupted.add(Long.toString(rs.getLong(1)));
                }
            }
            assertThat(interrupted).as("interrupted attempts in the step log")
                    .containsExactlyElementsOf(cut.stream().map(h -> Long.toString(h.attempt())).toList());
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select count(*) from provisioning_genesis")) {
                rs.next();
                assertThat(rs.getLong(1)).as("genesis blocks kept").isEqualTo(applications.size());
            }
        }
    }

    private static void assertFabric(Path profileFile, String masterKey, Iterable<JsonPath> provisionings) {
        NetworkProfile profile = NetworkProfile.read(profileFile, KeyVault.fromBase64MasterSecret(masterKey));
        try (OrdererAdmin orderer = OrdererAdmin.connect(profile.orderer());
                PeerAdmin regulatorPeer = PeerAdmin.connect(profile.regulatorPeer(), profile.regulatorAdminIdentity());
                ChaincodeLifecycle lifecycle = ChaincodeLifecycle.connect(profile.regulatorAdminIdentity(),
                        profile.regulatorPeer(), profile.orderer())) {
            List<String> ordererChannels = orderer.listChannels().stream().map(OrdererChannel::name).toList();
            List<String> peerChannels = regulatorPeer.channels();
            for (JsonPath view : provisionings) {
                String channel = view.getString("channelId");
                String mspId = view.getString("mspId");
                assertThat(ordererChannels).as("orderer channels").filteredOn(channel::equals).hasSize(1);
                assertThat(peerChannels).as("the regulator peer's channels").filteredOn(channel::equals).hasSize(1);
                CommittedChaincode committed = lifecycle.queryCommitted(channel, FabricSteps.CHAINCODE.name());
                assertThat(committed.sequence()).as("chaincode sequence on " + channel).isEqualTo(1);
                assertThat(committed.approvals()).as("approvals on " + channel)
                        .isEqualTo(Map.of(mspId, true, profile.regulatorMspId(), true));
            }
        }
    }

    /** A token of the service's own service account, which creates the tenants' objects. */
    private static String serviceToken(EnvironmentConnection env) {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", "startup-onboarding")
                .formParam("client_secret", env.serviceEnvironment(Service.ONBOARDING).get("SANDBOX_CLIENT_SECRET"))
                .when().post(env.realmUri() + "/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
    }

    /** What exists of a startup's Keycloak tenant: its group, its users (by the tenant attribute) and its API client. */
    private static String tenantState(EnvironmentConnection env, String slug) {
        String admin = serviceToken(env);
        String realm = env.keycloakUri() + "/admin/realms/" + realmName(env);
        int groups = given().auth().oauth2(admin).queryParam("search", "startup-" + slug).queryParam("exact", true)
                .when().get(realm + "/groups").then().statusCode(200).extract().jsonPath().getList("$").size();
        int users = given().auth().oauth2(admin).queryParam("q", "tenant:" + slug).when().get(realm + "/users")
                .then().statusCode(200).extract().jsonPath().getList("$").size();
        int clients = given().auth().oauth2(admin).queryParam("clientId", "startup-" + slug + "-api")
                .when().get(realm + "/clients").then().statusCode(200).extract().jsonPath().getList("$").size();
        return "group " + groups + ", users " + users + " of " + REPRESENTATIVES + ", API client " + clients;
    }

    private static String slugOf(Connection db, UUID provisioning) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("select slug from provisioning where id = ?")) {
            s.setObject(1, provisioning);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void assertKeycloak(EnvironmentConnection env, Map<UUID, List<String>> applications,
            Map<UUID, JsonPath> provisionings) {
        String admin = serviceToken(env);
        String realm = env.keycloakUri() + "/admin/realms/" + realmName(env);
        for (var entry : applications.entrySet()) {
            String slug = provisionings.get(entry.getKey()).getString("slug");
            List<Map<String, Object>> groups = given().auth().oauth2(admin).queryParam("search", "startup-" + slug)
                    .queryParam("max", 100).when().get(realm + "/groups").then().statusCode(200)
                    .extract().jsonPath().getList("findAll { it.name == 'startup-" + slug + "' }");
            assertThat(groups).as("groups startup-" + slug).hasSize(1);
            String groupId = (String) groups.get(0).get("id");
            List<String> members = given().auth().oauth2(admin).queryParam("max", 100).when()
                    .get(realm + "/groups/" + groupId + "/members").then().statusCode(200).extract().path("username");
            assertThat(members).as("members of startup-" + slug).containsExactlyInAnyOrderElementsOf(entry.getValue());
            for (String email : entry.getValue()) {
                List<String> users = given().auth().oauth2(admin).queryParam("username", email).queryParam("exact", true)
                        .when().get(realm + "/users").then().statusCode(200).extract().path("username");
                assertThat(users).as("users " + email).containsExactly(email);
            }
            List<String> clients = given().auth().oauth2(admin).queryParam("clientId", "startup-" + slug + "-api")
                    .when().get(realm + "/clients").then().statusCode(200).extract().path("clientId");
            assertThat(clients).as("clients startup-" + slug + "-api").containsExactly("startup-" + slug + "-api");
        }
    }

    /** The realm's name: the last segment of its URI. */
    private static String realmName(EnvironmentConnection env) {
        String path = env.realmUri().getPath().replaceAll("/+$", "");
        return path.substring(path.lastIndexOf('/') + 1);
    }

    // --- the API -------------------------------------------------------------------------------------------------

    private UUID apply(String legalName, List<String> emails) {
        RequestSpecification spec = given().baseUri(base).contentType("multipart/form-data")
                .multiPart("legalName", legalName).multiPart("jurisdiction", "DE").multiPart("registryScheme", "LEI")
                .multiPart("registryIdentifier", "5493001KJTIIGC8Y1R12").multiPart("contactEmail", emails.get(0))
                .multiPart("pilotDescription", "Instant euro payments between SMEs, capped per customer.");
        for (int i = 0; i < emails.size(); i++) {
            spec.multiPart("representatives[" + i + "].name", "Representative " + i)
                    .multiPart("representatives[" + i + "].email", emails.get(i));
        }
        spec.multiPart("documents", "registry-extract.pdf",
                "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
                        .getBytes(StandardCharsets.US_ASCII), "application/pdf");
        return UUID.fromString(spec.when().post("/api/v1/applications").then().statusCode(201).extract().path("id"));
    }

    private void approve(UUID application) {
        Map<String, Object> body = Map.of("reason", "Crash test pilot", "permit", Map.of(
                "maxCustomers", 250, "maxSingleTransaction", "1000.00", "maxDailyVolume", 50000, "currency", "EUR",
                "allowedAssetTypes", List.of("PAYMENT"), "testWindowStart", "2027-01-01", "testWindowEnd", "2027-06-30"));
        given().baseUri(base).auth().oauth2(regulator()).contentType("application/json").body(body)
                .when().post("/api/v1/review/applications/" + application + "/approval").then().statusCode(200);
    }

    /** The provisioning of an application with its step log, as the regulator sees it. */
    private JsonPath provisioningOf(UUID application) {
        List<String> ids = given().baseUri(base).auth().oauth2(regulator()).when().get("/api/v1/provisionings")
                .then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.applicationId == '" + application + "' }.id", String.class);
        assertThat(ids).as("provisionings of " + application).hasSize(1);
        return given().baseUri(base).auth().oauth2(regulator()).when().get("/api/v1/provisionings/" + ids.get(0))
                .then().statusCode(200).extract().jsonPath();
    }

    private String regulator() {
        if (token == null || System.nanoTime() - tokenAt > TimeUnit.SECONDS.toNanos(60)) {
            token = SandboxTestEnvironment.accessToken("regulator");
            tokenAt = System.nanoTime();
        }
        return token;
    }

    // --- the database, read while the service runs and dies ----------------------------------------------------

    /** The attempt under way (started, not finished), if any: there is one worker, so at most one. */
    private static Hit runningAttempt(Connection db) {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "select provisioning_id, step, id from provisioning_step_log where finished_at is null order by id desc")) {
            return rs.next() ? new Hit(rs.getObject(1, UUID.class), ProvisioningStep.valueOf(rs.getString(2)), rs.getLong(3))
                    : null;
        } catch (SQLException e) {
            return null; // not migrated yet
        }
    }

    /** The attempts started and not finished, oldest first (read with the service dead: the ones it cut short). */
    private static List<Hit> unfinished(Connection db) throws SQLException {
        List<Hit> found = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "select provisioning_id, step, id from provisioning_step_log where finished_at is null order by id")) {
            while (rs.next()) {
                found.add(new Hit(rs.getObject(1, UUID.class), ProvisioningStep.valueOf(rs.getString(2)), rs.getLong(3)));
            }
        }
        return found;
    }

    private static boolean allReady(Connection db) {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "select count(*) filter (where status = 'READY'), count(*) from provisioning")) {
            rs.next();
            return rs.getLong(2) == STARTUPS && rs.getLong(1) == STARTUPS;
        } catch (SQLException e) {
            return false;
        }
    }

    // --- processes -----------------------------------------------------------------------------------------------

    private Process launch(Path jar, Map<String, String> childEnv) throws IOException {
        Path log = Path.of("target", "crash-it", "onboarding-" + launches++ + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-jar", jar.toAbsolutePath().toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(childEnv);
        return builder.start();
    }

    private void awaitReady(Process service) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new AssertionError("the service exited with " + service.exitValue()
                        + "; see target/crash-it/onboarding-" + (launches - 1) + ".log");
            }
            try {
                if (given().baseUri(base).when().get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) { // ConnectException, rethrown unchecked by REST Assured
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the service did not become ready; see target/crash-it/onboarding-" + (launches - 1)
                + ".log");
    }

    private Process startNetwork(String masterKey) throws IOException {
        Path home = dir.resolve("fabric");
        Files.createDirectories(home);
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String classpath = Arrays.stream(full.split(File.pathSeparator)).filter(e -> !NOT_NEEDED.matcher(e).find())
                .collect(Collectors.joining(File.pathSeparator));
        return new ProcessBuilder(java(), "-Xmx512m", "-cp", classpath, FabricTestNetworkMain.class.getName(),
                home.toString(), masterKey).redirectError(dir.resolve("network.log").toFile()).start();
    }

    /** Waits for the network's READY line: the profile and the regulator's chaincode package. */
    private String[] awaitNetwork(Process network) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(network.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null;) {
            if (line.startsWith("READY\t")) {
                Thread.ofVirtual().start(() -> {
                    try {
                        while (out.readLine() != null) {
                            // not needed
                        }
                    } catch (IOException ignored) {
                        // ended
                    }
                });
                String[] parts = line.split("\t");
                return new String[] {parts[1], parts[2]};
            }
        }
        throw new IllegalStateException("the test Fabric network did not start:\n"
                + Files.readString(dir.resolve("network.log")));
    }

    private static void stopNetwork(Process network) throws InterruptedException {
        try {
            network.getOutputStream().close(); // FabricTestNetworkMain stops when its stdin closes
        } catch (IOException ignored) {
            // gone already
        }
        if (!network.waitFor(60, TimeUnit.SECONDS)) {
            network.destroyForcibly().waitFor();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void execute(EnvironmentConnection env, String sql) throws SQLException {
        try (Connection c = connect(env, env.jdbcUrl("postgres")); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect(EnvironmentConnection env, String url) throws SQLException {
        return DriverManager.getConnection(url, env.postgresUsername(), env.postgresPassword());
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
