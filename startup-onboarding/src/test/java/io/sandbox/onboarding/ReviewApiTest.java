package io.sandbox.onboarding;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sandbox.core.audit.AuditLog;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import io.sandbox.onboarding.review.ProvisioningRequest;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The regulator's review through the API, with real Keycloak tokens. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "ONBOARDING"))
class ReviewApiTest {

    private static final String REVIEW = "/api/v1/review/applications";

    @Inject
    DataSource dataSource;

    @Inject
    AuditLog audit;

    @Inject
    ApprovalsSeen approvals;

    private static String regulator() {
        return SandboxTestEnvironment.accessToken("regulator");
    }

    private static String apply(ApplicationRequest request) {
        return request.spec().when().post("/api/v1/applications").then().statusCode(201).extract().path("id");
    }

    static Map<String, Object> approval(String reason) {
        return Map.of("reason", reason, "permit", Map.of(
                "maxCustomers", 250,
                "maxSingleTransaction", "1000.00",
                "maxDailyVolume", 50000,
                "currency", "eur",
                "allowedAssetTypes", List.of("PAYMENT", "stablecoin"),
                "testWindowStart", "2027-01-01",
                "testWindowEnd", "2027-06-30"));
    }

    @Test
    void theQueueListsPendingApplicationsOldestFirst() {
        String older = apply(ApplicationRequest.valid());
        String newer = apply(ApplicationRequest.valid());

        List<String> queue = given().auth().oauth2(regulator()).when().get(REVIEW)
                .then().statusCode(200).extract().path("id");

        assertThat(queue).contains(older, newer);
        assertThat(queue.indexOf(older)).isLessThan(queue.indexOf(newer));
    }

    @Test
    void theDetailShowsDocumentsWithTheirSha256AndTheyDownloadIntact() throws Exception {
        ApplicationRequest request = ApplicationRequest.valid();
        String id = apply(request);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ApplicationRequest.PDF));

        var detail = given().auth().oauth2(regulator()).when().get(REVIEW + "/" + id)
                .then().statusCode(200)
                .body("legalName", equalTo(request.legalName()))
                .body("status", equalTo("SUBMITTED"))
                .body("registryIdentifier", equalTo("5493001KJTIIGC8Y1R12"))
                .body("representatives[0].email", equalTo("ada@testpay.example"))
                .body("documents[0].fileName", equalTo("registry-extract.pdf"))
                .body("documents[0].mediaType", equalTo("application/pdf"))
                .body("documents[0].sha256", equalTo(sha256))
                .extract();
        String href = detail.path("documents[0].href");

        byte[] downloaded = given().auth().oauth2(regulator()).when().get(href)
                .then().statusCode(200).contentType("application/pdf")
                .header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)) + ":")
                .extract().asByteArray();
        assertThat(downloaded).isEqualTo(ApplicationRequest.PDF);
    }

    @Test
    void approvalSetsThePermitRecordsItAndLeavesAProvisioningRequest() throws Exception {
        String id = apply(ApplicationRequest.valid());

        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(approval("Clear pilot, capped exposure"))
                .when().post(REVIEW + "/" + id + "/approval")
                .then().statusCode(200)
                .body("status", equalTo("APPROVED"))
                .body("decision.reason", equalTo("Clear pilot, capped exposure"))
                .body("decision.decidedBy", equalTo("regulator"))
                .body("permit.currency", equalTo("EUR"))
                .body("permit.allowedAssetTypes", equalTo(List.of("PAYMENT", "STABLECOIN")))
                .body("permit.testWindowEnd", equalTo("2027-06-30"));

        given().when().get("/api/v1/applications/" + id).then().statusCode(200).body("status", equalTo("APPROVED"));
        given().auth().oauth2(regulator()).when().get(REVIEW).then().statusCode(200).body("id", not(hasItem(id)));
        ProvisioningRequest provisioning = QuarkusTransaction.requiringNew()
                .call(() -> ProvisioningRequest.<ProvisioningRequest>findById(UUID.fromString(id)));
        assertThat(provisioning.status).isEqualTo(ProvisioningRequest.PENDING);
        assertThat(approvals.committed()).contains(UUID.fromString(id));

        Map<String, String> event = lastAuditEventFor(id);
        assertThat(event).containsEntry("action", "application.approved").containsEntry("actor", "regulator")
                .containsEntry("reason", "Clear pilot, capped exposure");
        assertThat(event.get("details")).contains("\"maxCustomers\": 250").contains("\"currency\": \"EUR\"");
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void rejectionNeedsAReasonAndIsRecorded() throws Exception {
        String id = apply(ApplicationRequest.valid());

        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(Map.of("reason", " "))
                .when().post(REVIEW + "/" + id + "/rejection")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", equalTo(List.of("reason")));
        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body("{}")
                .when().post(REVIEW + "/" + id + "/rejection")
                .then().statusCode(400).body("errors.field", equalTo(List.of("reason")));

        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(Map.of("reason", "Identity documents do not match"))
                .when().post(REVIEW + "/" + id + "/rejection")
                .then().statusCode(200).body("status", equalTo("REJECTED")).body("permit", equalTo(null));

        assertThat(lastAuditEventFor(id)).containsEntry("action", "application.rejected")
                .containsEntry("reason", "Identity documents do not match");
        assertThat(approvals.committed()).doesNotContain(UUID.fromString(id));
    }

    @Test
    void anInvalidPermitIs400NamingTheFieldAndDecidesNothing() {
        String id = apply(ApplicationRequest.valid());
        Map<String, Object> body = Map.of("reason", "ok", "permit", Map.of(
                "maxCustomers", 10, "maxSingleTransaction", 5, "maxDailyVolume", 10, "currency", "EUR",
                "allowedAssetTypes", List.of("PAYMENT"), "testWindowStart", "2027-03-01", "testWindowEnd", "2027-02-01"));

        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(body)
                .when().post(REVIEW + "/" + id + "/approval")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("permit.testWindowEnd")));
        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(Map.of("reason", "no permit"))
                .when().post(REVIEW + "/" + id + "/approval")
                .then().statusCode(400).body("errors.field", equalTo(List.of("permit")));
        given().auth().oauth2(regulator()).contentType(ContentType.JSON)
                .body("{\"reason\":\"x\",\"permit\":{\"maxCustomers\":\"many\"}}")
                .when().post(REVIEW + "/" + id + "/approval")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", containsString("maxCustomers"));

        given().when().get("/api/v1/applications/" + id).then().body("status", equalTo("SUBMITTED"));
    }

    @Test
    void decidingTwiceIs409() {
        String id = apply(ApplicationRequest.valid());
        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(approval("first"))
                .when().post(REVIEW + "/" + id + "/approval").then().statusCode(200);

        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(approval("again"))
                .when().post(REVIEW + "/" + id + "/approval")
                .then().statusCode(409).contentType("application/problem+json")
                .body("currentStatus", equalTo("APPROVED"));
        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(Map.of("reason", "changed my mind"))
                .when().post(REVIEW + "/" + id + "/rejection")
                .then().statusCode(409).contentType("application/problem+json");

        String rejected = apply(ApplicationRequest.valid());
        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(Map.of("reason", "no"))
                .when().post(REVIEW + "/" + rejected + "/rejection").then().statusCode(200);
        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(approval("yes after all"))
                .when().post(REVIEW + "/" + rejected + "/approval")
                .then().statusCode(409).body("currentStatus", equalTo("REJECTED"));
    }

    @Test
    void ofTwoConcurrentDecisionsExactlyOneWins() throws Exception {
        String id = apply(ApplicationRequest.valid());
        String token = regulator();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var approve = pool.submit(() -> given().auth().oauth2(token).contentType(ContentType.JSON).body(approval("approve"))
                    .when().post(REVIEW + "/" + id + "/approval").statusCode());
            var reject = pool.submit(() -> given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("reason", "reject"))
                    .when().post(REVIEW + "/" + id + "/rejection").statusCode());
            assertThat(List.of(approve.get(), reject.get())).containsExactlyInAnyOrder(200, 409);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("select count(*) from audit_event where subject = ? and action in ('application.approved', 'application.rejected')",
                "application/" + id)).isEqualTo(1);
    }

    @Test
    void anUnknownApplicationIs404() {
        given().auth().oauth2(regulator()).when().get(REVIEW + "/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(regulator()).contentType(ContentType.JSON).body(Map.of("reason", "x"))
                .when().post(REVIEW + "/" + UUID.randomUUID() + "/rejection")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void startupsAndAuditorsGet403AndAnonymousCallers401() {
        String id = apply(ApplicationRequest.valid());
        for (String user : List.of("startup", "auditor")) {
            String token = SandboxTestEnvironment.accessToken(user);
            given().auth().oauth2(token).when().get(REVIEW)
                    .then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token).when().get(REVIEW + "/" + id)
                    .then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token).contentType(ContentType.JSON).body(approval("sneaky"))
                    .when().post(REVIEW + "/" + id + "/approval")
                    .then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("reason", "sneaky"))
                    .when().post(REVIEW + "/" + id + "/rejection")
                    .then().statusCode(403).contentType("application/problem+json");
        }
        given().when().get(REVIEW).then().statusCode(401).contentType("application/problem+json");
        given().when().get("/api/v1/applications/" + id).then().body("status", equalTo("SUBMITTED"));
    }

    private long count(String sql, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, parameter);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private Map<String, String> lastAuditEventFor(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select action, actor, reason, details::text from audit_event where subject = ? order by seq desc limit 1")) {
            q.setString(1, "application/" + id);
            try (ResultSet row = q.executeQuery()) {
                assertThat(row.next()).as("an audit event for application %s", id).isTrue();
                return Map.of("action", row.getString(1), "actor", row.getString(2), "reason", row.getString(3),
                        "details", row.getString(4));
            }
        }
    }
}
