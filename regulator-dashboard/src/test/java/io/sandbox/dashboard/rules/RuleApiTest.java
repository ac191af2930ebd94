package io.sandbox.dashboard.rules;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sandbox.dashboard.alerts.Ledgers;
import io.sandbox.dashboard.ingest.decode.DecodedTransaction;
import io.sandbox.dashboard.ingest.store.IngestStore;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules API against the real database and Keycloak: versions, audit, compile refusals, roles, backtest. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class RuleApiTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RuleService rules;

    @Test
    void ruleIsCreatedVersionedSwitchedAndEveryChangeIsAudited() throws Exception {
        String startup = Ledgers.startup("rules");
        Map<String, Object> body = new HashMap<>(Map.of("name", "Large payments", "description", "over 10k",
                "severity", "HIGH", "mode", "TEST", "scope", List.of(startup),
                "expression", "event.type == 'PAYMENT' && event.amountMinor > 1000000", "reason", "new policy"));
        JsonPath created = given().auth().oauth2(token("regulator")).contentType("application/json").body(body)
                .when().post("/api/v1/rules").then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        assertThat(created.getString("origin")).isEqualTo("USER");
        assertThat(created.getInt("currentVersion")).isEqualTo(1);
        assertThat(created.getString("current.changedBy")).isEqualTo("regulator");
        assertThat(rules.live().rules()).anyMatch(r -> r.definition().id().equals(id));

        body.put("expression", "event.type == 'PAYMENT' && event.amountMinor > 2000000");
        body.put("reason", "threshold raised");
        given().auth().oauth2(token("regulator")).contentType("application/json").body(body)
                .when().put("/api/v1/rules/" + id).then().statusCode(200).body("currentVersion", equalTo(2));
        given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("mode", "ACTIVE", "reason", "tested for a week"))
                .when().post("/api/v1/rules/" + id + "/mode").then().statusCode(200)
                .body("currentVersion", equalTo(3)).body("current.mode", equalTo("ACTIVE"));

        JsonPath versions = given().auth().oauth2(token("auditor")).when().get("/api/v1/rules/" + id + "/versions")
                .then().statusCode(200).extract().jsonPath();
        assertThat(versions.getList("versions.version", Integer.class)).containsExactly(3, 2, 1);
        assertThat(versions.getList("versions.reason")).containsExactly("tested for a week", "threshold raised",
                "new policy");
        assertThat(versions.getString("versions[1].expression")).contains("2000000");
        assertThat(rules.live().rules()).anyMatch(r -> r.definition().id().equals(id) && r.definition().version() == 3);

        List<String> actions = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select action, actor, reason from audit_event where subject = ? order by seq")) {
            s.setString(1, "rule/" + id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    actions.add(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3));
                }
            }
        }
        assertThat(actions).containsExactly("rule.created/regulator/new policy",
                "rule.changed/regulator/threshold raised", "rule.mode-changed/regulator/tested for a week");

        given().auth().oauth2(token("regulator")).contentType("application/json").body(Map.of("mode", "ACTIVE"))
                .when().post("/api/v1/rules/" + id + "/mode").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("reason"));
    }

    @Test
    void ruleThatDoesNotCompileIsRefusedWithLineAndColumn() {
        Map<String, Object> body = Map.of("name", "Typo", "severity", "LOW", "mode", "TEST",
                "expression", "event.type == 'PAYMENT' &&\n  event.amuont > 5.0", "reason", "try");
        JsonPath problem = given().auth().oauth2(token("regulator")).contentType("application/json").body(body)
                .when().post("/api/v1/rules").then().statusCode(400).contentType("application/problem+json")
                .extract().jsonPath();
        assertThat(problem.getString("detail")).contains("amuont");
        assertThat(problem.getString("errors[0].message")).contains("amuont");
        assertThat(problem.getInt("errors[0].line")).isEqualTo(2);
        assertThat(problem.getInt("errors[0].column")).isPositive();

        given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("name", "Not a bool", "severity", "LOW", "expression", "event.amount", "reason", "x"))
                .when().post("/api/v1/rules").then().statusCode(400).body("errors[0].line", equalTo(1));
        given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("severity", "URGENT", "expression", "true"))
                .when().post("/api/v1/rules").then().statusCode(400)
                .body("errors.field", hasItem("name")).body("errors.field", hasItem("severity"))
                .body("errors.field", hasItem("reason"));
    }

    @Test
    void builtInRulesAreSeededAndOnlyTheirModeChanges() {
        JsonPath all = given().auth().oauth2(token("auditor")).when().get("/api/v1/rules").then().statusCode(200)
                .extract().jsonPath();
        assertThat(all.getList("id", String.class)).contains("builtin:invalid-ratio", "builtin:unknown-chaincode",
                "builtin:config-changed", "builtin:unexpected-endorser");
        given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("expression", "true", "reason", "x"))
                .when().put("/api/v1/rules/builtin:config-changed").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("only its mode"));
    }

    @Test
    void startupsAndAuditorsCannotChangeRules() {
        Map<String, Object> body = Map.of("name", "x", "severity", "LOW", "expression", "true", "reason", "x");
        for (String user : List.of("startup", "auditor")) {
            given().auth().oauth2(token(user)).contentType("application/json").body(body)
                    .when().post("/api/v1/rules").then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token(user)).contentType("application/json")
                    .body(Map.of("mode", "DISABLED", "reason", "x"))
                    .when().post("/api/v1/rules/builtin:config-changed/mode").then().statusCode(403);
        }
        given().auth().oauth2(token("startup")).when().get("/api/v1/rules").then().statusCode(403);
    }

    @Test
    void backtestRunsADraftOverStoredHistory() {
        String startup = Ledgers.startup("bt");
        String channel = "sandbox-" + startup;
        Ledgers.permit(startup, "100000");
        Instant start = Instant.now().minus(Duration.ofHours(2));
        List<DecodedTransaction> txs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            txs.add(Ledgers.payment(startup, 0, i % 4 == 0 ? "2500.00" : "10.00", start.plusSeconds(60L * i)));
        }
        new IngestStore(dataSource).ingest(channel, Ledgers.chain(channel, 0, new byte[0], txs));

        JsonPath result = given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("expression", "event.amount > 1000.0 && window.startup.hour.count >= 5",
                        "startup", startup, "from", start.minusSeconds(1).toString(),
                        "to", Instant.now().toString(), "maxHits", 3))
                .when().post("/api/v1/rules/backtest").then().statusCode(200).extract().jsonPath();
        assertThat(result.getLong("scanned")).isEqualTo(40);
        // payments 0, 4, ..., 36 are large; payment 0 comes with only 1 in the window
        assertThat(result.getLong("hits")).isEqualTo(9);
        assertThat(result.getList("firstHits")).hasSize(3);
        assertThat(result.getString("firstHits[0].txId")).isEqualTo(txs.get(4).txId());
        assertThat(result.getMap("firstHits[0].values")).containsKeys("event.amount", "window.startup.hour.count");

        given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("expression", "event.amount >", "startup", startup))
                .when().post("/api/v1/rules/backtest").then().statusCode(400).body("errors[0].line", equalTo(1));
        given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("expression", "true", "startup", "no-such-startup"))
                .when().post("/api/v1/rules/backtest").then().statusCode(404);
        given().auth().oauth2(token("auditor")).contentType("application/json")
                .body(Map.of("expression", "true", "startup", startup))
                .when().post("/api/v1/rules/backtest").then().statusCode(403);
    }

    private static String token(String user) {
        return SandboxTestEnvironment.accessToken(user);
    }
}
