package io.sandbox.dashboard.startup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sandbox.dashboard.alerts.Ledgers;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Permits through the API: versions, audit, the derived permit rules, validation and roles. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class PermitApiTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void permitIsVersionedAuditedAndItsRulesFollowIt() throws Exception {
        String name = Ledgers.startup("permit");
        Map<String, Object> body = new HashMap<>(Map.of("maxCustomers", 50, "maxSingleValue", "1000.50",
                "maxDailyVolume", "20000", "currency", "EUR", "allowedAssetTypes", List.of("TOKEN", "BOND"),
                "testWindowStart", "2026-01-01", "testWindowEnd", "2026-12-31", "reason", "admitted",
                "mspId", Ledgers.msp(name)));
        JsonPath first = given().auth().oauth2(token("regulator")).contentType("application/json").body(body)
                .when().put("/api/v1/startups/" + name + "/permit").then().statusCode(200).extract().jsonPath();
        assertThat(first.getString("channel")).isEqualTo("sandbox-" + name);
        assertThat(first.getInt("permit.version")).isEqualTo(1);
        assertThat(first.getString("permit.maxSingleValue")).isEqualTo("1000.5");
        assertThat(first.getList("permit.allowedAssetTypes")).containsExactly("TOKEN", "BOND");
        String single = "permit:" + name + ":max-single-value";
        JsonPath rule = given().auth().oauth2(token("auditor")).when().get("/api/v1/rules/" + single).then()
                .statusCode(200).extract().jsonPath();
        assertThat(rule.getString("origin")).isEqualTo("PERMIT");
        assertThat(rule.getString("current.mode")).isEqualTo("ACTIVE");
        assertThat(rule.getList("current.scope")).containsExactly(name);
        String firstExpression = rule.getString("current.expression");
        // the regulator watches the customer limit in TEST mode for a while: a permit change keeps that choice
        String customers = "permit:" + name + ":max-customers";
        given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("mode", "TEST", "reason", "observe first")).when()
                .post("/api/v1/rules/" + customers + "/mode").then().statusCode(200);

        body.put("maxSingleValue", "2000");
        body.put("reason", "limit raised after review");
        body.remove("mspId");
        given().auth().oauth2(token("regulator")).contentType("application/json").body(body)
                .when().put("/api/v1/startups/" + name + "/permit").then().statusCode(200)
                .body("permit.version", equalTo(2)).body("permitHistory.size()", equalTo(2))
                .body("permit.changedBy", equalTo("regulator"));
        JsonPath after = given().auth().oauth2(token("regulator")).when().get("/api/v1/rules/" + single).then()
                .statusCode(200).extract().jsonPath();
        assertThat(after.getInt("currentVersion")).isEqualTo(2);
        assertThat(after.getString("current.expression")).isEqualTo(firstExpression);
        assertThat(after.getString("current.description")).contains("version 2");
        assertThat(after.getString("current.reason")).isEqualTo("limit raised after review");
        assertThat(after.getString("current.mode")).isEqualTo("ACTIVE");
        given().auth().oauth2(token("regulator")).when().get("/api/v1/rules/" + customers).then().statusCode(200)
                .body("currentVersion", equalTo(3)).body("current.mode", equalTo("TEST"));

        // the same terms again (amounts at another scale), as a retried provisioning sends them: nothing changes
        body.put("maxSingleValue", "2000.00");
        body.put("maxDailyVolume", "20000.0000");
        given().auth().oauth2(token("regulator")).contentType("application/json").body(body)
                .when().put("/api/v1/startups/" + name + "/permit").then().statusCode(200)
                .body("permit.version", equalTo(2)).body("permitHistory.size()", equalTo(2));

        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from audit_event where subject = ? and action = 'permit.changed' and actor = 'regulator'")) {
            s.setString(1, "startup/" + name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
        }
        given().auth().oauth2(token("auditor")).when().get("/api/v1/startups").then().statusCode(200)
                .body("name", hasItems(name));
    }

    @Test
    void invalidPermitIsRefusedFieldByField() {
        Map<String, Object> body = Map.of("maxCustomers", 0, "maxSingleValue", "-5", "maxDailyVolume", "1.234",
                "currency", "euro", "allowedAssetTypes", List.of(), "testWindowStart", "2026-13-01",
                "testWindowEnd", "2026-01-01", "mspId", "X");
        JsonPath problem = given().auth().oauth2(token("regulator")).contentType("application/json").body(body)
                .when().put("/api/v1/startups/" + Ledgers.startup("bad") + "/permit").then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getList("errors.field", String.class)).contains("maxCustomers", "maxSingleValue",
                "maxDailyVolume", "currency", "allowedAssetTypes", "testWindowStart", "reason");
        assertThat(problem.getString("detail")).contains("maxCustomers");

        given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("maxCustomers", "many")).when().put("/api/v1/startups/x1/permit").then().statusCode(400)
                .contentType("application/problem+json").body(containsString("maxCustomers"));
        given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("maxCustomers", 5, "maxSingleValue", "10", "maxDailyVolume", "100", "currency", "EUR",
                        "allowedAssetTypes", List.of("TOKEN"), "testWindowStart", "2026-01-01",
                        "testWindowEnd", "2026-02-01", "reason", "x"))
                .when().put("/api/v1/startups/" + Ledgers.startup("unknown") + "/permit").then().statusCode(404)
                .body("detail", containsString("mspId"));
        given().auth().oauth2(token("regulator")).contentType("application/json").body(Map.of())
                .when().put("/api/v1/startups/Not_A_Name/permit").then().statusCode(400);
    }

    @Test
    void onlyRegulatorsSetPermitsAndStartupsSeeOnlyThemselves() {
        Map<String, Object> body = Map.of("maxCustomers", 5);
        for (String user : List.of("startup", "auditor")) {
            given().auth().oauth2(token(user)).contentType("application/json").body(body)
                    .when().put("/api/v1/startups/demo-startup/permit").then().statusCode(403);
        }
        given().auth().oauth2(token("startup")).when().get("/api/v1/startups/acme").then().statusCode(404);
        given().when().get("/api/v1/startups").then().statusCode(401);
    }

    private static String token(String user) {
        return SandboxTestEnvironment.accessToken(user);
    }
}
