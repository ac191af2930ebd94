package io.sandbox.onboarding.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Time from a regulator's approval to a startup READY to transact, end to end through a running platform
 * ({@code ./sandbox run}): for each startup, apply anonymously over HTTP (valid LEI, a small PDF), approve with a permit
 * as the regulator (password grant on {@code sandbox-cli}), then poll the provisioning until READY. Prints, per
 * startup, approval→READY as the client saw it (from sending the approval), the service's own requested→ready, and each
 * step's recorded duration; then the medians and the 1-minute load average.
 *
 * <p>Arguments: how many startups (default 5), the project directory whose {@code .sandbox/run} describes the running
 * environment (default {@code ..}), the onboarding service's URL (default {@code http://localhost:8081}). System
 * property {@code bench.pause}: seconds to wait before each approval (0: each startup is approved as soon as the one
 * before is READY; a regulator's approvals are usually minutes apart).
 */
public final class ApprovalToReadyBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private ApprovalToReadyBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path project = Path.of(args.length > 1 ? args[1] : "..");
        String onboarding = args.length > 2 ? args[2] : "http://localhost:8081";
        Properties environment = new Properties();
        try (Reader in = Files.newBufferedReader(project.resolve(".sandbox/run/environment.properties"))) {
            environment.load(in);
        }
        String realm = environment.getProperty("keycloak.realm");
        String password = environment.getProperty("secret.regulator.password");

        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        List<Long> client = new ArrayList<>();
        List<Long> server = new ArrayList<>();
        Map<ProvisioningStep, List<Long>> perStep = new EnumMap<>(ProvisioningStep.class);
        long pause = Long.getLong("bench.pause", 0);
        for (int i = 0; i < count; i++) {
            Thread.sleep(Duration.ofSeconds(pause));
            String name = "Bench " + run + " " + i + " Ltd";
            String applicationId = apply(onboarding, name, "rep" + i + "-" + run + "@bench.example");
            String token = regulatorToken(realm, password); // fresh for each startup: the bench may outlive a token
            long start = System.nanoTime();
            approve(onboarding, token, applicationId);
            JsonNode ready = awaitReady(onboarding, token, applicationId);
            long took = (System.nanoTime() - start) / 1_000_000;
            long inService = Duration.between(Instant.parse(ready.path("requestedAt").asText()),
                    Instant.parse(ready.path("readyAt").asText())).toMillis();
            client.add(took);
            server.add(inService);
            Map<ProvisioningStep, Long> steps = new LinkedHashMap<>();
            for (JsonNode attempt : ready.path("steps")) {
                ProvisioningStep step = ProvisioningStep.valueOf(attempt.path("step").asText());
                long millis = Duration.between(Instant.parse(attempt.path("startedAt").asText()),
                        Instant.parse(attempt.path("finishedAt").asText())).toMillis();
                steps.merge(step, millis, Long::sum);
                perStep.computeIfAbsent(step, s -> new ArrayList<>()).add(millis);
            }
            System.out.printf("startup %2d %-26s approval->READY %6d ms (service %6d ms) steps %s load %s%n", i + 1,
                    ready.path("slug").asText(), took, inService, steps, load());
        }
        System.out.printf("%n%d startups: approval->READY median %d ms, min %d, max %d; service requested->ready median %d ms%n",
                count, median(client), client.stream().min(Long::compare).orElseThrow(),
                client.stream().max(Long::compare).orElseThrow(), median(server));
        StringBuilder steps = new StringBuilder("step medians:");
        perStep.forEach((step, millis) -> steps.append(' ').append(step).append('=').append(median(millis)).append("ms"));
        System.out.println(steps + "; load " + load());
    }

    private static String apply(String onboarding, String legalName, String email) throws IOException, InterruptedException {
        String boundary = "bench-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("legalName", legalName);
        fields.put("jurisdiction", "DE");
        fields.put("registryScheme", "LEI");
        fields.put("registryIdentifier", "5493001KJTIIGC8Y1R12");
        fields.put("contactEmail", email);
        fields.put("pilotDescription", "Benchmark pilot: instant euro payments between SMEs.");
        fields.put("representatives[0].name", "Bench Founder");
        fields.put("representatives[0].email", email);
        for (var field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + field.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"documents\"; "
                + "filename=\"registry-extract.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(PDF);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode receipt = send(HttpRequest.newBuilder(URI.create(onboarding + "/api/v1/applications"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), 201);
        return receipt.path("id").asText();
    }

    private static void approve(String onboarding, String token, String applicationId)
            throws IOException, InterruptedException {
        Map<String, Object> approval = Map.of("reason", "Benchmark approval", "permit", Map.of(
                "maxCustomers", 250, "maxSingleTransaction", "1000.00", "maxDailyVolume", 50000, "currency", "EUR",
                "allowedAssetTypes", List.of("PAYMENT"), "testWindowStart", "2027-01-01", "testWindowEnd", "2027-06-30"));
        send(HttpRequest.newBuilder(URI.create(onboarding + "/api/v1/review/applications/" + applicationId + "/approval"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(approval))), 200);
    }

    /** Polls every 20 ms until the application's provisioning is READY; fails on FAILED or after the timeout. */
    private static JsonNode awaitReady(String onboarding, String token, String applicationId)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String id = null;
        while (System.nanoTime() < deadline) {
            if (id == null) {
                for (JsonNode p : send(get(onboarding + "/api/v1/provisionings", token), 200)) {
                    if (applicationId.equals(p.path("applicationId").asText())) {
                        id = p.path("id").asText();
                    }
                }
            }
            if (id != null) {
                JsonNode p = send(get(onboarding + "/api/v1/provisionings/" + id, token), 200);
                String status = p.path("status").asText();
                if ("READY".equals(status)) {
                    return p;
                }
                if ("FAILED".equals(status)) {
                    throw new IllegalStateException("provisioning " + id + " failed: " + p.path("error").asText());
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the provisioning of application " + applicationId + " was not READY within "
                + READY_TIMEOUT);
    }

    private static HttpRequest.Builder get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET();
    }

    private static String regulatorToken(String realm, String password) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=sandbox-cli&username=regulator&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(realm.replaceAll("/+$", "") + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), 200).path("access_token").asText();
    }

    private static JsonNode send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpRequest built = request.timeout(Duration.ofSeconds(60)).header("Accept", "application/json").build();
        HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(built.method() + " " + built.uri() + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
