package io.sandbox.dashboard.alerts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.store.IngestStore;
import io.sandbox.dashboard.rules.Surveillance;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rules on stored blocks end to end: blocks stored through the real {@link IngestStore} with the dashboard's
 * {@link Surveillance}, against the real PostgreSQL; modes, idempotent replay, the alert workflow, risk, isolation.
 */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class AlertFlowTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Surveillance surveillance;

    @Test
    void modesDecideBetweenAlertTestHitAndNothingAndReplayNeverDuplicates() throws Exception {
        String startup = Ledgers.startup("flow");
        String channel = "sandbox-" + startup;
        Ledgers.permit(startup, "1000");
        String testRule = rule(startup, "TEST", "event.type == 'PAYMENT' && event.amount > 100.0");
        String disabledRule = rule(startup, "DISABLED", "event.type == 'PAYMENT'");
        Instant now = Instant.now();
        List<DecodedBlock> blocks = Ledgers.chain(channel, 0, new byte[0], List.of(
                Ledgers.payment(startup, 0, "50.00", now), Ledgers.payment(startup, 0, "500.00", now),
                Ledgers.payment(startup, 0, "5000.00", now)));
        String small = blocks.get(0).transactions().get(0).txId();
        String medium = blocks.get(1).transactions().get(0).txId();
        String large = blocks.get(2).transactions().get(0).txId();
        IngestStore store = new IngestStore(dataSource);

        store.ingest(channel, blocks, surveillance.open(channel));

        String maxSingle = "permit:" + startup + ":max-single-value";
        assertThat(count("select count(*) from alert where rule_id = ? and tx_id = ?", maxSingle, large)).isEqualTo(1);
        assertThat(count("select count(*) from alert where rule_id = ? and tx_id = ?", maxSingle, medium)).isZero();
        assertThat(count("select count(*) from rule_test_hit where rule_id = ?", testRule, null)).isEqualTo(2);
        assertThat(count("select count(*) from alert where rule_id = ?", testRule, null)).isZero();
        assertThat(count("select count(*) from alert where rule_id = ?", disabledRule, null)).isZero();
        assertThat(count("select count(*) from rule_test_hit where rule_id = ?", disabledRule, null)).isZero();
        assertThat(count("select count(*) from alert where startup = ? and tx_id = ?", startup, small)).isZero();

        // Replay the same blocks from scratch (as after losing the ledger rows): no alert twice.
        try (Connection c = dataSource.getConnection(); PreparedStatement d = c.prepareStatement(
                "delete from ledger_transaction where channel = ?; delete from ledger_block where channel = ?; "
                        + "delete from channel_checkpoint where channel = ?")) {
            d.setString(1, channel);
            d.setString(2, channel);
            d.setString(3, channel);
            d.execute();
        }
        store.ingest(channel, blocks, surveillance.open(channel));
        assertThat(count("select count(*) from alert where rule_id = ? and tx_id = ?", maxSingle, large)).isEqualTo(1);
        assertThat(count("select count(*) from rule_test_hit where rule_id = ?", testRule, null)).isEqualTo(2);

        JsonPath page = given().auth().oauth2(token("regulator")).queryParam("startup", startup)
                .queryParam("kind", "RULE").when().get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertThat(page.getInt("total")).isEqualTo(1);
        assertThat(page.getString("alerts[0].ruleId")).isEqualTo(maxSingle);
        assertThat(page.getInt("alerts[0].ruleVersion")).isEqualTo(1);
        assertThat(page.getString("alerts[0].severity")).isNotBlank();
        assertThat(page.getString("alerts[0].status")).isEqualTo("OPEN");
        assertThat(page.getList("alerts[0].txIds", String.class)).containsExactly(large);
        assertThat(page.getMap("alerts[0].values")).containsKeys("event.amountMinor", "permit.maxSingleValueMinor");
        assertThat(page.getLong("alerts[0].values['event.amountMinor']")).isEqualTo(500000L);
        assertThat(page.getLong("alerts[0].values['permit.maxSingleValueMinor']")).isEqualTo(100000L);

        // Risk: snapshots in the same transactions, the gauge exported.
        assertThat(count("select count(*) from risk_snapshot where startup = ?", startup, null)).isPositive();
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("sandbox_risk_score{startup=\"" + startup + "\"}"))
                .body(containsString("sandbox_risk_component{component=\"breaches\",startup=\"" + startup + "\"}"));
        JsonPath risk = given().auth().oauth2(token("auditor")).when().get("/api/v1/startups/" + startup + "/risk")
                .then().statusCode(200).extract().jsonPath();
        assertThat(risk.getList("points")).isNotEmpty();
        assertThat(risk.getDouble("latest.score")).isBetween(0.0, 100.0);
        assertThat(risk.getMap("latest.components")).containsKeys("breaches", "utilisation");
        assertThat(risk.getDouble("latest.components.breaches")).isPositive();
    }

    @Test
    void workflowAllowsOnlyItsTransitionsAuditsThemAndKeepsStartupsApart() throws Exception {
        String startup = Ledgers.startup("wf");
        String channel = "sandbox-" + startup;
        Ledgers.permit(startup, "10");
        new IngestStore(dataSource).ingest(channel, Ledgers.chain(channel, 0, new byte[0],
                List.of(Ledgers.payment(startup, 0, "99.00", Instant.now()))), surveillance.open(channel));
        long id = given().auth().oauth2(token("regulator")).queryParam("startup", startup).when().get("/api/v1/alerts")
                .then().statusCode(200).body("total", equalTo(1)).extract().jsonPath().getLong("alerts[0].id");

        transition(id, "ACKNOWLEDGED", "looking into it").statusCode(200).body("alert.status", equalTo("ACKNOWLEDGED"));
        transition(id, "ACKNOWLEDGED", "again").statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("ACKNOWLEDGED"));
        transition(id, "RESOLVED", " ").statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("comment"));
        transition(id, "CLOSED", "x").statusCode(400).body("errors[0].field", equalTo("to"));
        transition(id, "RESOLVED", "customer refunded").statusCode(200).body("alert.status", equalTo("RESOLVED"));
        transition(id, "FALSE_POSITIVE", "too late").statusCode(409);

        JsonPath detail = given().auth().oauth2(token("auditor")).when().get("/api/v1/alerts/" + id).then()
                .statusCode(200).extract().jsonPath();
        assertThat(detail.getList("transitions.to")).containsExactly("ACKNOWLEDGED", "RESOLVED");
        assertThat(detail.getList("transitions.changedBy")).containsOnly("regulator");
        assertThat(detail.getString("transitions[1].comment")).isEqualTo("customer refunded");
        assertThat(count("select count(*) from audit_event where subject = ? and action in ('alert.acknowledged', "
                + "'alert.resolved') and actor = 'regulator'", "alert/" + id, null)).isEqualTo(2);

        // A startup member (tenant demo-startup) sees none of another startup's alerts, risk or permit.
        given().auth().oauth2(token("startup")).queryParam("startup", startup).when().get("/api/v1/alerts")
                .then().statusCode(200).body("total", equalTo(0));
        given().auth().oauth2(token("startup")).when().get("/api/v1/alerts")
                .then().statusCode(200).body("alerts.startup.findAll { it != 'demo-startup' }.size()", equalTo(0));
        given().auth().oauth2(token("startup")).when().get("/api/v1/alerts/" + id).then().statusCode(404);
        given().auth().oauth2(token("startup")).when().get("/api/v1/startups/" + startup + "/risk").then().statusCode(404);
        given().auth().oauth2(token("startup")).when().get("/api/v1/startups/" + startup).then().statusCode(404);
        given().auth().oauth2(token("startup")).when().get("/api/v1/startups")
                .then().statusCode(200).body("name.findAll { it != 'demo-startup' }.size()", equalTo(0));
        given().auth().oauth2(token("startup")).contentType("application/json")
                .body(Map.of("to", "RESOLVED", "comment", "mine")).when().post("/api/v1/alerts/" + id + "/transitions")
                .then().statusCode(403);
        given().auth().oauth2(token("auditor")).contentType("application/json")
                .body(Map.of("to", "RESOLVED", "comment", "x")).when().post("/api/v1/alerts/" + id + "/transitions")
                .then().statusCode(403);
    }

    @Test
    void badAlertQueriesGetProblems() {
        given().auth().oauth2(token("regulator")).queryParam("status", "SHUT").when().get("/api/v1/alerts")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("status"));
        given().auth().oauth2(token("regulator")).queryParam("limit", "0").when().get("/api/v1/alerts")
                .then().statusCode(400).body("detail", containsString("limit"));
        given().auth().oauth2(token("regulator")).when().get("/api/v1/alerts/999999999").then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/api/v1/alerts").then().statusCode(401);
    }

    private static io.restassured.response.ValidatableResponse transition(long id, String to, String comment) {
        return given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("to", to, "comment", comment)).when().post("/api/v1/alerts/" + id + "/transitions").then();
    }

    static String rule(String startup, String mode, String expression) {
        return given().auth().oauth2(token("regulator")).contentType("application/json")
                .body(Map.of("name", "payments over 100 " + mode, "severity", "LOW", "mode", mode, "scope",
                        List.of(startup), "expression", expression, "reason", "watch payments"))
                .when().post("/api/v1/rules").then().statusCode(201).extract().jsonPath().getString("id");
    }

    private long count(String sql, String a, String b) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, a);
            if (b != null) {
                s.setString(2, b);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String token(String user) {
        return SandboxTestEnvironment.accessToken(user);
    }
}
