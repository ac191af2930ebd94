package io.sandbox.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.launcher.keycloak.KeycloakTokens;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import io.restassured.RestAssured;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API's access rules, proven with real tokens from the test environment's Keycloak. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class ApiSecurityTest {

    private static final String STATUS = "/api/v1/platform/status";

    @Test
    void requestWithoutTokenGets401Problem() {
        given().when().get(STATUS)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"))
                .body("detail", containsString("Authorization: Bearer"))
                .body("instance", equalTo(STATUS));
    }

    @Test
    void startupTokenGets403ProblemOnSupervisorResource() {
        given().auth().oauth2(SandboxTestEnvironment.accessToken("startup"))
                .when().get(STATUS)
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403))
                .body("detail", equalTo("Your role does not allow this action."));
    }

    @Test
    void theApiFeedStreamsToSupervisorsAndRefusesStartups() throws Exception {
        given().auth().oauth2(SandboxTestEnvironment.accessToken("startup"))
                .when().get("/api/v1/feed")
                .then().statusCode(403)
                .contentType("application/problem+json");

        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/feed"))
                .header("Authorization", "Bearer " + SandboxTestEnvironment.accessToken("regulator")).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream stream = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            // the feed opens with a comment line, sent as soon as the client is attached
            assertThat(new String(stream.readNBytes(1), StandardCharsets.UTF_8)).isEqualTo(":");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"regulator", "auditor"})
    void supervisorsSeeTheRealDatabaseAndRealm(String user) {
        given().auth().oauth2(SandboxTestEnvironment.accessToken(user))
                .when().get(STATUS)
                .then().statusCode(200)
                .contentType("application/json")
                .body("service", equalTo("regulator-dashboard"))
                .body("database", startsWith("PostgreSQL"))
                .body("schemaVersion", equalTo("103"))
                .body("identityRealm", equalTo(SandboxTestEnvironment.connection().realmUri().toString()));
    }

    @Test
    void tokenFetchedThroughLocalhostIsAcceptedLikeOneFetchedThrough127001() {
        URI viaLocalhost = URI.create(SandboxTestEnvironment.connection().realmUri().toString().replace("127.0.0.1", "localhost"));
        String token = KeycloakTokens.passwordGrant(viaLocalhost, "sandbox-cli", "regulator",
                SandboxTestEnvironment.password("regulator"));
        given().auth().oauth2(token)
                .when().get(STATUS)
                .then().statusCode(200);
    }

    @Test
    void tokenWithForgedSignatureGets401Problem() {
        String token = SandboxTestEnvironment.accessToken("regulator");
        int signature = token.lastIndexOf('.') + 1;
        char flipped = token.charAt(signature + 5) == 'A' ? 'B' : 'A';
        String forged = token.substring(0, signature + 5) + flipped + token.substring(signature + 6);
        given().auth().oauth2(forged)
                .when().get(STATUS)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("status", equalTo(401));
    }

    @Test
    void callerSeesTheirOwnIdentityRolesAndTenant() {
        given().auth().oauth2(SandboxTestEnvironment.accessToken("startup"))
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .body("username", equalTo("startup"))
                .body("roles", hasItem("startup"))
                .body("tenant", equalTo("demo-startup"));
        given().auth().oauth2(SandboxTestEnvironment.accessToken("regulator"))
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .body("username", equalTo("regulator"))
                .body("roles", hasItem("regulator"))
                .body("tenant", equalTo(null));
    }
}
