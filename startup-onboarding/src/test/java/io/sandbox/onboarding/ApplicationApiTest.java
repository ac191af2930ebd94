package io.sandbox.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import io.sandbox.onboarding.ApplicationRequest.Document;
import io.sandbox.onboarding.application.Application;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Applying through the API: anyone may apply; bad fields, files and retries get precise answers. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "ONBOARDING"))
class ApplicationApiTest {

    private static final String APPLICATIONS = "/api/v1/applications";

    @Test
    void anAnonymousApplicantAppliesAndFollowsTheStatusUrl() {
        Response created = ApplicationRequest.valid().spec().when().post(APPLICATIONS)
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/applications/"))
                .body("status", equalTo("SUBMITTED"))
                .body("id", notNullValue())
                .extract().response();
        String id = created.path("id");
        String statusUrl = created.path("statusUrl");
        assertThat(statusUrl).isEqualTo("/api/v1/applications/" + id);

        io.restassured.RestAssured.given().when().get(statusUrl)
                .then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("SUBMITTED"));
    }

    @Test
    void aUnifiedSocialCreditCodeFromChinaIsAccepted() {
        ApplicationRequest.valid().with("jurisdiction", "cn").with("registryScheme", "USCC")
                .with("registryIdentifier", "91350100M000100Y43")
                .documents(new Document("licence.png", ApplicationRequest.PNG, "image/png"))
                .spec().when().post(APPLICATIONS)
                .then().statusCode(201);
    }

    @ParameterizedTest(name = "{0} = ''{1}'' is refused")
    @CsvSource(delimiter = '|', value = {
        "legalName            | ' '",
        "jurisdiction         | XX",
        "registryScheme       | DUNS",
        "registryIdentifier   | 5493001KJTIIGC8Y1R13",
        "registryIdentifier   | 5493001KJTIIGC8Y1R",
        "contactEmail         | not-an-address",
        "pilotDescription     | ' '",
        "representatives[0].name  | ' '",
        "representatives[0].email | ada-at-example",
    })
    void eachInvalidFieldIs400NamingIt(String field, String value) {
        ApplicationRequest.valid().with(field, value).spec().when().post(APPLICATIONS)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", equalTo("urn:sandbox:problem:invalid-application"))
                .body("detail", containsString(field))
                .body("errors.field", hasItem(field));
    }

    @Test
    void aUsccWithAWrongCheckCharacterIsRefused() {
        ApplicationRequest.valid().with("jurisdiction", "CN").with("registryScheme", "USCC")
                .with("registryIdentifier", "91350100M000100Y44")
                .spec().when().post(APPLICATIONS)
                .then().statusCode(400)
                .body("errors.field", hasItem("registryIdentifier"))
                .body("errors.message", hasItem(containsString("check character")));
    }

    @Test
    void aUsccOutsideChinaIsRefusedOnTheJurisdiction() {
        ApplicationRequest.valid().with("registryScheme", "USCC").with("registryIdentifier", "91350100M000100Y43")
                .spec().when().post(APPLICATIONS)
                .then().statusCode(400).body("errors.field", equalTo(List.of("jurisdiction")));
    }

    @Test
    void anApplicationNeedsARepresentativeAndADocument() {
        ApplicationRequest.valid().without("representatives[0].name").without("representatives[0].email")
                .spec().when().post(APPLICATIONS)
                .then().statusCode(400).body("errors.field", hasItem("representatives"));
        ApplicationRequest.valid().documents().spec().when().post(APPLICATIONS)
                .then().statusCode(400).body("errors.field", hasItem("documents"));
    }

    @Test
    void anOversizedDocumentIs413NamingIt() {
        byte[] big = new byte[256 * 1024 + 1];
        System.arraycopy(ApplicationRequest.PDF, 0, big, 0, ApplicationRequest.PDF.length);
        ApplicationRequest.valid()
                .documents(new Document("ok.pdf", ApplicationRequest.PDF, "application/pdf"), new Document("big.pdf", big, "application/pdf"))
                .spec().when().post(APPLICATIONS)
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("documents[1]"))
                .body("maxSize", equalTo(256 * 1024));
    }

    @Test
    void aDocumentWhoseContentIsNotPdfPngOrJpegIs415WhateverItClaims() {
        byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
        ApplicationRequest.valid().documents(new Document("extract.pdf", html, "application/pdf"))
                .spec().when().post(APPLICATIONS)
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("documents[0]"));
    }

    @Test
    void aDocumentDeclaredAsAnotherAllowedTypeIs415() {
        ApplicationRequest.valid().documents(new Document("scan.pdf", ApplicationRequest.PNG, "application/pdf"))
                .spec().when().post(APPLICATIONS)
                .then().statusCode(415)
                .body("errors[0].message", containsString("image/png"));
    }

    @Test
    void aRetriedSubmissionWithTheSameIdempotencyKeyCreatesOneApplication() {
        String key = UUID.randomUUID().toString();
        ApplicationRequest request = ApplicationRequest.valid();

        String first = request.spec().header("Idempotency-Key", key).when().post(APPLICATIONS)
                .then().statusCode(201).extract().path("id");
        String second = request.spec().header("Idempotency-Key", key).when().post(APPLICATIONS)
                .then().statusCode(201).header("Idempotent-Replayed", "true").extract().path("id");

        assertThat(second).isEqualTo(first);
        assertThat(applicationsWithKey(key)).isEqualTo(1);
    }

    @Test
    void concurrentRetriesWithOneKeyStillCreateOneApplication() throws Exception {
        String key = UUID.randomUUID().toString();
        ApplicationRequest request = ApplicationRequest.valid();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<String> submit = () -> request.spec().header("Idempotency-Key", key).when().post(APPLICATIONS)
                        .then().statusCode(201).extract().path("id");
                ids.add(pool.submit(submit));
            }
            String first = ids.get(0).get();
            for (Future<String> id : ids) {
                assertThat(id.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(applicationsWithKey(key)).isEqualTo(1);
    }

    @Test
    void reusingAKeyForADifferentApplicationIs422() {
        String key = UUID.randomUUID().toString();
        ApplicationRequest.valid().spec().header("Idempotency-Key", key).when().post(APPLICATIONS).then().statusCode(201);

        ApplicationRequest.valid().spec().header("Idempotency-Key", key).when().post(APPLICATIONS)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void anUnknownApplicationIs404AndAMalformedIdToo() {
        io.restassured.RestAssured.given().when().get(APPLICATIONS + "/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        io.restassured.RestAssured.given().when().get(APPLICATIONS + "/not-a-uuid")
                .then().statusCode(404).contentType("application/problem+json").body("instance", endsWith("/not-a-uuid"));
    }

    private static long applicationsWithKey(String key) {
        return QuarkusTransaction.requiringNew().call(() -> Application.count("idempotencyKey", key));
    }
}
