package io.sandbox.dashboard.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook sender against a real local HTTP server that fails first, and against one that always fails. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class WebhookSenderTest {

    private static final String SECRET = "test-webhook-secret";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final List<String> signatures = new CopyOnWriteArrayList<>();
    private volatile int failFirst;

    @BeforeEach
    void startServer() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement done = c.prepareStatement(
                "update alert_webhook_outbox set delivered_at = now() where delivered_at is null and alert_id in "
                        + "(select id from alert where rule_id = 'user:webhook-test')")) {
            done.executeUpdate();
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int n = calls.incrementAndGet();
            int status = n <= failFirst ? 503 : 204;
            if (status == 204) {
                bodies.add(body);
                signatures.add(exchange.getRequestHeaders().getFirst("X-Sandbox-Signature"));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void failedDeliveryIsRetriedWithBackoffAndSigned() throws Exception {
        failFirst = 1;
        long alert = alertWithOutbox();
        WebhookSender sender = sender(5);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            sender.deliverDue();
            assertThat(bodies).isNotEmpty();
        });

        assertThat(calls.get()).isEqualTo(2);
        JsonNode payload = json.readTree(bodies.get(0));
        assertThat(payload.get("alertId").asLong()).isEqualTo(alert);
        assertThat(payload.get("rule").asText()).isEqualTo("user:webhook-test");
        assertThat(payload.get("severity").asText()).isEqualTo("HIGH");
        assertThat(payload.get("txIds").get(0).asText()).isEqualTo("tx-" + alert);
        assertThat(payload.get("values").get("event.amount").asDouble()).isEqualTo(5000.0);
        assertThat(payload.get("link").asText()).endsWith("/api/v1/alerts/" + alert);
        assertThat(signatures.get(0)).isEqualTo("sha256=" + WebhookSender.sign(SECRET, bodies.get(0)));
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select attempts, delivered_at is not null, last_error from alert_webhook_outbox where alert_id = ?")) {
            s.setLong(1, alert);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getBoolean(2)).isTrue();
            }
        }
    }

    @Test
    void deliveryGivesUpAfterMaxAttemptsAndRecordsWhy() throws Exception {
        failFirst = Integer.MAX_VALUE;
        long alert = alertWithOutbox();
        WebhookSender sender = sender(3);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            sender.deliverDue();
            assertThat(attempts(alert)).isEqualTo(3);
        });
        Thread.sleep(200);
        sender.deliverDue();
        assertThat(attempts(alert)).isEqualTo(3);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select last_error, delivered_at from alert_webhook_outbox where alert_id = ?")) {
            s.setLong(1, alert);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).contains("gave up after 3 attempts").contains("503");
                assertThat(rs.getTimestamp(2)).isNull();
            }
        }
    }

    private int attempts(long alert) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select attempts from alert_webhook_outbox where alert_id = ?")) {
            s.setLong(1, alert);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private WebhookSender sender(int maxAttempts) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        AlertsConfig config = new AlertsConfig() {
            @Override
            public Webhook webhook() {
                return new Webhook() {
                    @Override
                    public Optional<String> url() {
                        return Optional.of(url);
                    }

                    @Override
                    public Optional<String> secret() {
                        return Optional.of(SECRET);
                    }

                    @Override
                    public Duration timeout() {
                        return Duration.ofSeconds(2);
                    }

                    @Override
                    public int maxAttempts() {
                        return maxAttempts;
                    }

                    @Override
                    public Duration backoff() {
                        return Duration.ofMillis(20);
                    }

                    @Override
                    public Duration pollInterval() {
                        return Duration.ofMillis(50);
                    }
                };
            }

            @Override
            public String dashboardUrl() {
                return "http://dashboard.test";
            }
        };
        return new WebhookSender(config, dataSource, json);
    }

    private long alertWithOutbox() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            long id;
            try (PreparedStatement insert = c.prepareStatement("insert into alert (kind, severity, channel, block_number, "
                    + "title, detail, rule_id, rule_version, startup, trigger_values) values ('RULE', 'HIGH', "
                    + "'sandbox-webhook', 1, 'test', 'test', 'user:webhook-test', 1, 'webhook', "
                    + "'{\"event.amount\": 5000.0}') returning id")) {
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement update = c.prepareStatement(
                    "update alert set tx_id = ?, tx_ids = array[?] where id = ?")) {
                update.setString(1, "tx-" + id);
                update.setString(2, "tx-" + id);
                update.setLong(3, id);
                update.executeUpdate();
            }
            try (PreparedStatement outbox = c.prepareStatement("insert into alert_webhook_outbox (alert_id) values (?)")) {
                outbox.setLong(1, id);
                outbox.executeUpdate();
            }
            return id;
        }
    }
}
