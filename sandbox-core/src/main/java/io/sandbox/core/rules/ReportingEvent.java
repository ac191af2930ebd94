package io.sandbox.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code sandbox.reporting/1} chaincode event (docs/reporting-schema.md). Fields that do not apply to the
 * event's type are {@code null}.
 *
 * @param type        {@code CUSTOMER_ONBOARDED}, {@code ASSET_ISSUED}, {@code TRANSFER}, {@code PAYMENT} or
 *                    {@code REDEMPTION}
 * @param amount      the amount (2 decimals), or {@code null}
 * @param timestamp   the event's timestamp, or {@code null} if absent or unreadable
 */
public record ReportingEvent(String type, BigDecimal amount, String currency, String assetType, String assetId,
        String paymentId, String from, String to, String customerRef, String jurisdiction, String riskTier,
        Instant timestamp) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses the dashboard's stored form: a JSON array of event objects. {@code null} or blank gives an empty list;
     * an element that is not an object or has no {@code type} is skipped, as is an unreadable amount or timestamp
     * (the field becomes {@code null}). Never throws on bad ledger data.
     */
    public static List<ReportingEvent> parseAll(String jsonArray) {
        if (jsonArray == null || jsonArray.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(jsonArray);
        } catch (Exception e) {
            return List.of();
        }
        if (root == null || !root.isArray()) {
            return List.of();
        }
        List<ReportingEvent> events = new ArrayList<>(root.size());
        for (JsonNode node : root) {
            ReportingEvent event = parse(node);
            if (event != null) {
                events.add(event);
            }
        }
        return List.copyOf(events);
    }

    private static ReportingEvent parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        String type = text(node, "type");
        if (type == null || type.isBlank()) {
            return null;
        }
        return new ReportingEvent(type, amount(text(node, "amount")), text(node, "currency"), text(node, "assetType"),
                text(node, "assetId"), text(node, "paymentId"), text(node, "from"), text(node, "to"),
                text(node, "customerRef"), text(node, "jurisdiction"), text(node, "riskTier"),
                instant(text(node, "timestamp")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }

    private static BigDecimal amount(String text) {
        if (text == null || text.length() > 40) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(text);
            return value.signum() < 0 || value.scale() > 2 ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
