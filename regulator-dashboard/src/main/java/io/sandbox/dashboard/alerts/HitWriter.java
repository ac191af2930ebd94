package io.sandbox.dashboard.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox.core.rules.RuleHit;
import io.sandbox.core.rules.RuleMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes rule hits in the ingestion transaction: an ACTIVE hit becomes an alert of kind RULE ({@code on conflict do
 * nothing} on the rule version, channel and transaction, so a replay never duplicates it) plus a webhook outbox row
 * when a webhook is configured; a TEST hit becomes a {@code rule_test_hit}. Not thread-safe per instance use.
 */
public final class HitWriter {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final boolean webhook;

    /** {@code webhook}: whether new alerts are queued for the webhook. */
    public HitWriter(boolean webhook) {
        this.webhook = webhook;
    }

    /** Writes the hits of one transaction; returns the alerts that are new. */
    public List<AlertViews.Alert> write(Connection c, String startup, String channel, long block, String txId,
            List<RuleHit> hits) throws SQLException {
        List<AlertViews.Alert> raised = new ArrayList<>();
        for (RuleHit hit : hits) {
            String values = json(hit.values());
            if (hit.mode() == RuleMode.TEST) {
                try (PreparedStatement insert = c.prepareStatement("insert into rule_test_hit (rule_id, rule_version, "
                        + "startup, channel, block_number, tx_id, hit_values) values (?, ?, ?, ?, ?, ?, ?::jsonb) "
                        + "on conflict do nothing")) {
                    insert.setString(1, hit.ruleId());
                    insert.setInt(2, hit.ruleVersion());
                    insert.setString(3, startup);
                    insert.setString(4, channel);
                    insert.setLong(5, block);
                    insert.setString(6, txId);
                    insert.setString(7, values);
                    insert.executeUpdate();
                }
                continue;
            }
            if (hit.mode() != RuleMode.ACTIVE) {
                continue;
            }
            String title = hit.ruleName() + " on " + startup;
            String detail = "Rule " + hit.ruleId() + " (version " + hit.ruleVersion() + ") matched transaction " + txId
                    + " in block " + block + " of " + channel + ": " + values;
            try (PreparedStatement insert = c.prepareStatement("insert into alert (kind, severity, channel, block_number, "
                    + "tx_id, title, detail, rule_id, rule_version, startup, tx_ids, trigger_values) values ('RULE', ?, "
                    + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (rule_id, rule_version, channel, tx_id) "
                    + "where rule_id is not null do nothing returning id, raised_at")) {
                insert.setString(1, hit.severity().name());
                insert.setString(2, channel);
                insert.setLong(3, block);
                insert.setString(4, txId);
                insert.setString(5, title);
                insert.setString(6, detail);
                insert.setString(7, hit.ruleId());
                insert.setInt(8, hit.ruleVersion());
                insert.setString(9, startup);
                insert.setArray(10, c.createArrayOf("text", new Object[] {txId}));
                insert.setString(11, values);
                try (ResultSet rs = insert.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    long id = rs.getLong(1);
                    Timestamp at = rs.getTimestamp(2);
                    raised.add(new AlertViews.Alert(id, "RULE", hit.severity().name(), "OPEN", hit.ruleId(),
                            hit.ruleVersion(), startup, channel, block, txId, List.of(txId), title, detail,
                            hit.values(), at == null ? Instant.now() : at.toInstant(), null));
                }
            }
            if (webhook) {
                try (PreparedStatement outbox = c.prepareStatement(
                        "insert into alert_webhook_outbox (alert_id) values (?) on conflict do nothing")) {
                    outbox.setLong(1, raised.get(raised.size() - 1).id());
                    outbox.executeUpdate();
                }
            }
        }
        return raised;
    }

    static String json(Map<String, Object> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }
}
