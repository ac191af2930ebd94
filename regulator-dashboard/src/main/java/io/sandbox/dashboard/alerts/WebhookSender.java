package io.sandbox.dashboard.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Delivers new alerts to the configured webhook from {@code alert_webhook_outbox}, off the ingestion path: a
 * background thread claims due rows ({@code for update skip locked}), POSTs each alert as JSON (signed with
 * {@code X-Sandbox-Signature: sha256=<hex HMAC-SHA256 of the body>} when a secret is set), and on failure schedules
 * the next attempt with exponential backoff, giving up after the configured attempts (the error stays recorded).
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final int BATCH = 20;

    private final AlertsConfig config;
    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final Object signal = new Object();
    private volatile boolean running;
    private volatile Thread thread;
    private final HttpClient http;

    WebhookSender(AlertsConfig config, AgroalDataSource dataSource, ObjectMapper json) {
        this.config = config;
        this.dataSource = dataSource;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.webhook().timeout()).build();
    }

    void start(@Observes StartupEvent event) {
        if (!config.webhook().enabled()) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("alert-webhook").start(this::loop);
        LOG.infof("alert webhook on: %s", config.webhook().url().get());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Tells the sender new alerts are waiting (it polls anyway). */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                while (running && deliverDue() > 0) {
                    // drain what is due
                }
            } catch (RuntimeException | SQLException e) {
                LOG.warnf("alert webhook outbox: %s", e.getMessage());
            }
            synchronized (signal) {
                try {
                    signal.wait(config.webhook().pollInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Delivers the due outbox rows of one batch; returns how many were attempted. */
    int deliverDue() throws SQLException {
        int attempted = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement select = c.prepareStatement("select o.alert_id, o.attempts, a.rule_id, a.rule_version,"
                    + " a.severity, a.startup, a.channel, a.block_number, a.tx_ids, a.trigger_values, a.title, a.raised_at "
                    + "from alert_webhook_outbox o join alert a on a.id = o.alert_id where o.delivered_at is null and "
                    + "o.attempts < ? and o.next_attempt_at <= now() order by o.alert_id limit " + BATCH
                    + " for update of o skip locked")) {
                select.setInt(1, config.webhook().maxAttempts());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        attempted++;
                        long id = rs.getLong(1);
                        int attempts = rs.getInt(2) + 1;
                        String error = deliver(payload(rs));
                        record(c, id, attempts, error);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return attempted;
    }

    private Map<String, Object> payload(ResultSet rs) throws SQLException {
        Map<String, Object> body = new LinkedHashMap<>();
        long id = rs.getLong(1);
        body.put("alertId", id);
        body.put("rule", rs.getString(3));
        body.put("ruleVersion", rs.getInt(4));
        body.put("severity", rs.getString(5));
        body.put("startup", rs.getString(6));
        body.put("channel", rs.getString(7));
        body.put("blockNumber", rs.getLong(8));
        java.sql.Array txIds = rs.getArray(9);
        body.put("txIds", txIds == null ? java.util.List.of() : java.util.List.of((Object[]) txIds.getArray()));
        try {
            body.put("values", rs.getString(10) == null ? Map.of() : json.readTree(rs.getString(10)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body.put("values", Map.of());
        }
        body.put("title", rs.getString(11));
        body.put("raisedAt", rs.getTimestamp(12).toInstant().toString());
        body.put("link", config.dashboardUrl() + "/api/v1/alerts/" + id);
        return body;
    }

    /** One POST; the error, or null when the receiver answered 2xx. */
    private String deliver(Map<String, Object> payload) {
        try {
            byte[] body = json.writeValueAsBytes(payload);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.webhook().url().get()))
                    .timeout(config.webhook().timeout()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            config.webhook().secret().filter(s -> !s.isBlank())
                    .ifPresent(secret -> request.header("X-Sandbox-Signature", "sha256=" + sign(secret, body)));
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "the webhook answered HTTP " + response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "delivery failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    private void record(Connection c, long id, int attempts, String error) throws SQLException {
        Duration wait = config.webhook().backoff().multipliedBy(1L << Math.min(attempts - 1, 16));
        try (PreparedStatement update = c.prepareStatement("update alert_webhook_outbox set attempts = ?, "
                + "delivered_at = ?, last_error = ?, next_attempt_at = ? where alert_id = ?")) {
            update.setInt(1, attempts);
            update.setTimestamp(2, error == null ? Timestamp.from(Instant.now()) : null);
            String recorded = error == null ? null
                    : attempts >= config.webhook().maxAttempts() ? "gave up after " + attempts + " attempts: " + error : error;
            update.setString(3, recorded);
            update.setTimestamp(4, Timestamp.from(Instant.now().plus(wait)));
            update.setLong(5, id);
            update.executeUpdate();
        }
        if (error != null) {
            LOG.debugf("webhook delivery of alert %d failed (attempt %d): %s", id, attempts, error);
        }
    }

    /** Hex HMAC-SHA256 of {@code body} under {@code secret} (UTF-8). */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
