package io.sandbox.onboarding.provisioning;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.core.fabric.admin.OrdererAdmin;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.identity.Certificates;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.core.web.ProblemException;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import io.sandbox.onboarding.provisioning.StartupAdmission.Representative;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The provisioning pipeline end to end, against the real devnet (admin protocols, fabric-gateway) and the real
 * Keycloak: request to READY, the tenant in Keycloak, the bundle's identity on its own channel and no other, crash and
 * failure recovery without duplicates.
 */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "ONBOARDING"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class ProvisioningEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final Map<String, UUID> PROVISIONED = new ConcurrentHashMap<>();

    @Inject
    ProvisioningService service;
    @Inject
    Keycloak keycloak;
    @Inject
    FabricConfig fabric;
    @Inject
    FaultyStepHook faults;

    @Test
    void anAdmittedStartupBecomesReadyOnceWithItsChannelChaincodeAndKeycloakTenant() throws Exception {
        String slug = ready("acme");
        UUID id = PROVISIONED.get("acme");
        String email = "ada@" + slug + ".example";

        // requesting again for the same application yields the same single provisioning
        Provisioning stored = QuarkusTransaction.requiringNew().call(() -> Provisioning.findById(id));
        assertThat(service.request(admission(stored.applicationId, slug))).isEqualTo(id);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Provisioning.count("applicationId", stored.applicationId)))
                .isEqualTo(1);
        // the organisation is stored sealed: certificates, never a raw key
        assertThat(stored.organisationDocument).contains("sealedKey").doesNotContain("PRIVATE KEY");

        // the regulator sees the step log
        given().auth().oauth2(SandboxTestEnvironment.accessToken("regulator")).when().get("/api/v1/provisionings/" + id)
                .then().statusCode(200).body("status", equalTo("READY")).body("currentStep", equalTo("READY"))
                .body("steps.findAll { it.outcome == 'DONE' }.step", equalTo(
                        List.of("ORGANISATION", "PEER", "CHANNEL", "CHAINCODE", "KEYCLOAK", "SUPERVISION")));

        // Keycloak: the group, the representative (role startup, tenant, must set a password and verify the address)
        RealmResource realm = keycloak.realm("sandbox");
        GroupRepresentation group = realm.getGroupByPath("/startup-" + slug);
        assertThat(group.getAttributes()).containsEntry("tenant", List.of(slug))
                .containsEntry("channel", List.of("sandbox-" + slug)).containsEntry("mspId", List.of(stored.mspId));
        UserRepresentation user = realm.users().searchByUsername(email, true).get(0);
        assertThat(user.getAttributes()).containsEntry("tenant", List.of(slug));
        assertThat(user.getRequiredActions()).containsExactlyInAnyOrder("UPDATE_PASSWORD", "VERIFY_EMAIL");
        assertThat(realm.users().get(user.getId()).credentials()).isEmpty();
        assertThat(realm.users().get(user.getId()).roles().realmLevel().listEffective())
                .anyMatch(r -> r.getName().equals("startup"));
        assertThat(realm.users().get(user.getId()).groups()).extracting(GroupRepresentation::getName)
                .contains("startup-" + slug);

        // the service client's token carries the tenant and the startup role
        String token = clientToken(slug);
        JsonNode claims = claims(token);
        assertThat(claims.path("tenant").asText()).isEqualTo(slug);
        assertThat(claims.path("realm_access").path("roles").toString()).contains("\"startup\"");

        given().auth().oauth2(token).when().get("/api/v1/my/sandbox").then().statusCode(200)
                .body("tenant", equalTo(slug)).body("status", equalTo("READY"))
                .body("channelId", equalTo("sandbox-" + slug));

        // the bundle's identity transacts on its own channel; the regulator's peer holds that channel
        Map<String, String> bundle = bundle(token);
        assertThat(JSON.readTree(bundle.get("api-client.json")).path("clientId").asText()).isEqualTo("startup-" + slug + "-api");
        assertThat(submit(bundle, bundle, "sandbox-" + slug)).isTrue();
        NetworkProfile profile = profile();
        try (PeerAdmin regulatorPeer = PeerAdmin.connect(profile.regulatorPeer(), profile.regulatorAdminIdentity())) {
            assertThat(regulatorPeer.channels()).contains("sandbox-" + slug);
        }
    }

    @Test
    void aStartupSeesOnlyItsOwnSandboxAndItsIdentityIsDeniedOnAnotherStartupsChannel() throws Exception {
        String a = ready("acme");
        String b = ready("bolt");
        String tokenA = clientToken(a);
        String tokenB = clientToken(b);

        given().auth().oauth2(tokenB).when().get("/api/v1/my/sandbox").then().statusCode(200).body("tenant", equalTo(b));
        given().auth().oauth2(tokenB).when().get("/api/v1/provisionings/" + PROVISIONED.get("acme"))
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(tokenB).when().get("/api/v1/provisionings")
                .then().statusCode(403).contentType("application/problem+json");
        // a startup member without a sandbox (the demo tenant) finds none, and no one else's
        given().auth().oauth2(SandboxTestEnvironment.accessToken("startup")).when().get("/api/v1/my/sandbox")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(SandboxTestEnvironment.accessToken("startup")).when().get("/api/v1/my/sandbox/bundle")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(SandboxTestEnvironment.accessToken("regulator")).when().get("/api/v1/my/sandbox")
                .then().statusCode(403).contentType("application/problem+json");

        Map<String, String> bundleA = bundle(tokenA);
        Map<String, String> bundleB = bundle(tokenB);
        assertThatThrownBy(() -> submit(bundleB, bundleA, "sandbox-" + a)).isInstanceOf(GatewayException.class);
        assertThat(submit(bundleB, bundleB, "sandbox-" + b)).isTrue();
    }

    @Test
    void aCrashAfterAStepsEffectsIsResumedWithoutDuplicates() throws Exception {
        String slug = unique("crash");
        faults.crashOnce(slug, ProvisioningStep.CHANNEL);
        faults.crashOnce(slug, ProvisioningStep.KEYCLOAK);
        UUID id = service.request(admission(UUID.randomUUID(), slug));

        awaitStatus(id, ProvisioningStatus.READY);

        ProvisioningView view = service.get(id);
        assertThat(view.steps()).filteredOn(s -> "INTERRUPTED".equals(s.outcome())).extracting(ProvisioningView.StepAttempt::step)
                .containsExactly(ProvisioningStep.CHANNEL, ProvisioningStep.KEYCLOAK);
        assertThat(view.steps()).filteredOn(s -> "DONE".equals(s.outcome())).hasSize(ProvisioningStep.values().length - 1);
        RealmResource realm = keycloak.realm("sandbox");
        assertThat(realm.groups().groups("startup-" + slug, true, 0, 10, true)).hasSize(1);
        assertThat(realm.clients().findByClientId("startup-" + slug + "-api")).hasSize(1);
        assertThat(realm.users().searchByUsername("ada@" + slug + ".example", true)).hasSize(1);
        NetworkProfile profile = profile();
        try (OrdererAdmin orderer = OrdererAdmin.connect(profile.orderer());
                PeerAdmin regulatorPeer = PeerAdmin.connect(profile.regulatorPeer(), profile.regulatorAdminIdentity())) {
            assertThat(orderer.listChannels()).filteredOn(c -> c.name().equals("sandbox-" + slug)).hasSize(1);
            assertThat(regulatorPeer.channels()).filteredOn(c -> c.equals("sandbox-" + slug)).hasSize(1);
        }
        assertThat(submit(bundle(clientToken(slug)), bundle(clientToken(slug)), "sandbox-" + slug)).isTrue();
    }

    @Test
    void aFailedStepIsShownWithItsErrorAndARegulatorRetryCompletesIt() {
        String slug = unique("flaky");
        faults.failOnce(slug, ProvisioningStep.PEER, "peer host is out of disk");
        UUID id = service.request(admission(UUID.randomUUID(), slug));

        awaitStatus(id, ProvisioningStatus.FAILED);
        String regulator = SandboxTestEnvironment.accessToken("regulator");
        given().auth().oauth2(regulator).when().get("/api/v1/provisionings/" + id).then().statusCode(200)
                .body("status", equalTo("FAILED")).body("currentStep", equalTo("PEER"))
                .body("error", equalTo("PEER: peer host is out of disk"))
                .body("steps[-1].outcome", equalTo("FAILED")).body("steps[-1].error", equalTo("peer host is out of disk"));
        assertThatThrownBy(() -> service.bundle(slug)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).isEqualTo(409));
        given().auth().oauth2(SandboxTestEnvironment.accessToken("startup")).when().post("/api/v1/provisionings/" + id + "/retry")
                .then().statusCode(403).contentType("application/problem+json");

        given().auth().oauth2(regulator).when().post("/api/v1/provisionings/" + id + "/retry").then().statusCode(200);
        awaitStatus(id, ProvisioningStatus.READY);
        given().auth().oauth2(regulator).when().post("/api/v1/provisionings/" + id + "/retry")
                .then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(regulator).when().get("/api/v1/provisionings/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    /** Provisions the named startup once per test run (a unique slug, as Keycloak outlives the run). */
    private String ready(String name) {
        UUID id = PROVISIONED.computeIfAbsent(name, n -> service.request(admission(UUID.randomUUID(), unique(n))));
        awaitStatus(id, ProvisioningStatus.READY);
        return service.get(id).slug();
    }

    private void awaitStatus(UUID id, ProvisioningStatus expected) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> {
            ProvisioningView view = service.get(id);
            if (view.status() == ProvisioningStatus.FAILED && expected != ProvisioningStatus.FAILED) {
                throw new AssertionError("provisioning failed: " + view.error());
            }
            return view.status() == expected;
        });
    }

    private static String unique(String name) {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return name + "-" + HexFormat.of().formatHex(random);
    }

    private static StartupAdmission admission(UUID applicationId, String slug) {
        return new StartupAdmission(applicationId, slug + " Ltd", slug,
                List.of(new Representative("Ada Lovelace", "ada@" + slug + ".example")), UUID.randomUUID());
    }

    private NetworkProfile profile() {
        return NetworkProfile.read(fabric.profile().orElseThrow(),
                KeyVault.fromBase64MasterSecret(fabric.masterKey().orElseThrow()));
    }

    private String clientToken(String slug) {
        RealmResource realm = keycloak.realm("sandbox");
        String clientUuid = realm.clients().findByClientId("startup-" + slug + "-api").get(0).getId();
        String secret = realm.clients().get(clientUuid).getSecret().getValue();
        return given().formParam("grant_type", "client_credentials").formParam("client_id", "startup-" + slug + "-api")
                .formParam("client_secret", secret)
                .when().post(SandboxTestEnvironment.connection().realmUri() + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static JsonNode claims(String token) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static Map<String, String> bundle(String token) throws IOException {
        byte[] zip = given().auth().oauth2(token).when().get("/api/v1/my/sandbox/bundle").then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        Map<String, String> files = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
                files.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(files).containsKeys("connection.json", "api-client.json", "identity/cert.pem", "identity/key.pem",
                "tls/ca.pem");
        return files;
    }

    /** Submits a customer onboarding as {@code who}'s identity through {@code where}'s peer on the channel. */
    private static boolean submit(Map<String, String> who, Map<String, String> where, String channel) throws Exception {
        JsonNode connection = JSON.readTree(where.get("connection.json"));
        JsonNode identity = JSON.readTree(who.get("connection.json"));
        PeerEndpoint peer = new PeerEndpoint(connection.path("peer").path("host").asText(),
                connection.path("peer").path("port").asInt(), List.of(Certificates.parsePem(where.get("tls/ca.pem"))),
                connection.path("mspId").asText());
        ManagedChannel grpc = peer.openChannel();
        try (Gateway gateway = Gateway.newInstance()
                .identity(new X509Identity(identity.path("mspId").asText(),
                        Identities.readX509Certificate(who.get("identity/cert.pem"))))
                .signer(Signers.newPrivateKeySigner(Identities.readPrivateKey(who.get("identity/key.pem"))))
                .connection(grpc)
                .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .commitStatusOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS)).connect()) {
            var status = gateway.getNetwork(channel).getContract(connection.path("chaincode").asText())
                    .newProposal("onboardCustomer").addArguments("customer-" + UUID.randomUUID(), "DE", "LOW").build()
                    .endorse().submitAsync().getStatus();
            return status.isSuccessful();
        } finally {
            grpc.shutdownNow();
        }
    }
}
