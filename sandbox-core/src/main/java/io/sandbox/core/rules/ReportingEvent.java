package io.sandbox.core.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Parses the dashboard's stored form: a JSON array of event objects. {@code null} or blank gives an empty list;
     * an element that is not an object or has no {@code type} is skipped, as is an unreadable amount or timestamp
     * (the field becomes {@code null}); a field whose value is an object or an array counts as absent. Never throws
     * on bad ledger data. Read as a token stream (this runs for every ingested transaction).
     */
    public static List<ReportingEvent> parseAll(String jsonArray) {
        if (jsonArray == null || jsonArray.isBlank()) {
            return List.of();
        }
        List<ReportingEvent> events = new ArrayList<>(1);
        try (JsonParser parser = JSON.createParser(jsonArray)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return List.of();
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    return List.of(); // truncated
                }
                if (token == JsonToken.START_OBJECT) {
                    ReportingEvent event = parse(parser);
                    if (event != null) {
                        events.add(event);
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return List.copyOf(events);
    }

    /** One object, the parser on its START_OBJECT; returns with the parser on its END_OBJECT. */
    private static ReportingEvent parse(JsonParser parser) throws IOException {
        String[] values = new String[FIELDS.size()];
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            Integer field = FIELDS.get(parser.currentName());
            JsonToken value = parser.nextToken();
            String text = switch (value) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_TRUE, VALUE_FALSE -> parser.getText();
                // as a tree would print it
                case VALUE_NUMBER_FLOAT -> String.valueOf(parser.getDoubleValue());
                default -> {
                    parser.skipChildren();
                    yield null;
                }
            };
            if (field != null) {
                values[field] = text;
            }
        }
        String type = values[0];
        if (type == null || type.isBlank()) {
            return null;
        }
        return new ReportingEvent(type, amount(values[1]), values[2], values[3], values[4], values[5], values[6],
                values[7], values[8], values[9], values[10], instant(values[11]));
    }

    /** The fields read, to their position in the record. */
    private static final Map<String, Integer> FIELDS = Map.ofEntries(Map.entry("type", 0), Map.entry("amount", 1),
            Map.entry("currency", 2), Map.entry("assetType", 3), Map.entry("assetId", 4), Map.entry("paymentId", 5),
            Map.entry("from", 6), Map.entry("to", 7), Map.entry("customerRef", 8), Map.entry("jurisdiction", 9),
            Map.entry("riskTier", 10), Map.entry("timestamp", 11));

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
        Instant fast = utc(text);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The common form {@code 2026-03-01T11:00:00Z}, optionally with a fraction of up to 9 digits, read without
     * {@code Instant.parse}'s general machinery; null for any other text (which {@code Instant.parse} then reads).
     */
    static Instant utc(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(n - 1) != 'Z' || (n > 20 && (t.charAt(19) != '.' || n == 21))) {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int fraction = n > 20 ? digits(t, 20, n - 1) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0) {
            return null;
        }
        int nanos = fraction;
        for (int i = n - 1 - 20; i < 9; i++) {
            nanos *= 10;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, n > 20 ? nanos : 0);
    }

    /** The decimal number in {@code t[from, to)}, or -1 if a character is not a digit. */
    private static int digits(String t, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
