package io.sandbox.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import org.junit.jupiter.api.Test;

/** Client mistakes get RFC 9457 problem details with a clear message, never a stack trace. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class ProblemDetailsTest {

    @Test
    void unknownPathGets404Problem() {
        given().auth().oauth2(SandboxTestEnvironment.accessToken("regulator"))
                .when().get("/api/v1/no-such-thing")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:sandbox:problem:not-found"))
                .body("detail", equalTo("No resource at /api/v1/no-such-thing."))
                .body(not(containsString("Exception")));
    }

    @Test
    void wrongMethodGets405ProblemNamingTheMethod() {
        given().auth().oauth2(SandboxTestEnvironment.accessToken("regulator"))
                .contentType("application/json").body("{}")
                .when().post("/api/v1/platform/status")
                .then().statusCode(405)
                .contentType("application/problem+json")
                .body("status", equalTo(405))
                .body("detail", equalTo("POST is not allowed on /api/v1/platform/status."));
    }

    @Test
    void unacceptableMediaTypeGets406Problem() {
        given().auth().oauth2(SandboxTestEnvironment.accessToken("regulator"))
                .accept("application/xml")
                .when().get("/api/v1/platform/status")
                .then().statusCode(406)
                .contentType("application/problem+json")
                .body("status", equalTo(406));
    }
}
