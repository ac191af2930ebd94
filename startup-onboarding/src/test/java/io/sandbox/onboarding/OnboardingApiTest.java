package io.sandbox.onboarding;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The onboarding service's access rules with real Keycloak tokens, and its operator endpoints. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "ONBOARDING"))
class OnboardingApiTest {

    private static final String STATUS = "/api/v1/platform/status";

    @Test
    void noTokenIs401WrongRoleIs403RightRoleIs200() {
        given().when().get(STATUS)
                .then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
        given().auth().oauth2(SandboxTestEnvironment.accessToken("startup")).when().get(STATUS)
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        given().auth().oauth2(SandboxTestEnvironment.accessToken("regulator")).when().get(STATUS)
                .then().statusCode(200)
                .body("service", equalTo("startup-onboarding"))
                .body("schemaVersion", equalTo("151")); // db/core V1, then this service's V100 (applications), V150 (provisioning), V151
    }

    @Test
    void startupMemberSeesTheirTenant() {
        given().auth().oauth2(SandboxTestEnvironment.accessToken("startup")).when().get("/api/v1/me")
                .then().statusCode(200)
                .body("tenant", equalTo("demo-startup"));
    }

    @Test
    void operatorEndpointsAreServed() {
        // not ready until the provisioning warm-up is done (ProvisioningWarmup), then ready
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo("Sandbox startup portal API"))
                .body("paths.keySet()", hasItem("/api/v1/me"));
    }
}
