package io.sandbox.core.evidence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One transaction of the ledger extract as {@code transactions.csv} and {@code report.json} carry it, and as the
 * verifier reads it back out of a block. Equal records mean the file row and the block agree.
 *
 * @param blockNumber    the block holding it
 * @param txIndex        its position in the block
 * @param txId           the channel header's transaction id ({@code ""} when it has none, as config transactions)
 * @param timestamp      the channel header's timestamp, ISO-8601 UTC rounded to microseconds ({@code ""} if none)
 * @param headerType     the channel header's type name, e.g. {@code ENDORSER_TRANSACTION}
 * @param validationCode the committing peer's code from the block's TRANSACTIONS_FILTER, e.g. {@code VALID}
 * @param event          the {@code sandbox.reporting/1} payload's fields (all strings), or {@code null} if none
 */
public record TransactionRecord(long blockNumber, int txIndex, String txId, String timestamp, String headerType,
        String validationCode, Map<String, String> event) {

    public TransactionRecord {
        txId = txId == null ? "" : txId;
        timestamp = timestamp == null ? "" : timestamp;
        headerType = headerType == null ? "" : headerType;
        validationCode = validationCode == null ? "" : validationCode;
        event = event == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(event));
    }

    /**
     * The timestamp form the bundle uses: ISO-8601 UTC ({@link Instant#toString()}) rounded to microseconds exactly as
     * PostgreSQL rounds a timestamp's fraction on input ({@code rint(strtod("0.<digits>") * 1e6)}: the fraction parsed as
     * a double, scaled, rounded half to even), so that a value read back from the database equals the block's.
     */
    public static String timestamp(Instant instant) {
        if (instant == null) {
            return "";
        }
        double fraction = Double.parseDouble("0." + String.format("%09d", instant.getNano()));
        long micros = (long) Math.rint(fraction * 1_000_000);
        return Instant.ofEpochSecond(instant.getEpochSecond(), micros * 1000).toString();
    }

    /** The row's fields in {@link BundleFormat#CSV_COLUMNS} order. */
    public List<String> csvFields() {
        List<String> fields = new ArrayList<>(BundleFormat.CSV_COLUMNS.size());
        fields.add(Long.toUnsignedString(blockNumber));
        fields.add(Integer.toString(txIndex));
        fields.add(txId);
        fields.add(timestamp);
        fields.add(headerType);
        fields.add(validationCode);
        for (String field : BundleFormat.CSV_EVENT_FIELDS) {
            fields.add(event == null ? "" : event.getOrDefault(field, ""));
        }
        return fields;
    }

    /** The CSV line (RFC 4180 quoting, CRLF). */
    public String csvLine() {
        return Csv.line(csvFields());
    }

    /** Whether a CSV row holds this record's values (the CSV carries the event's known fields only). */
    public boolean matchesCsv(List<String> fields) {
        return csvFields().equals(fields);
    }

    /** The JSON object ({@link BundleFormat#JSON_FIELDS}, in that order). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("blockNumber", blockNumber);
        json.put("txIndex", (long) txIndex);
        json.put("txId", txId);
        json.put("timestamp", timestamp);
        json.put("headerType", headerType);
        json.put("validationCode", validationCode);
        json.put("event", event == null ? null : new LinkedHashMap<String, Object>(event));
        return json;
    }

    /** Appends {@link #toJson()} to {@code out}. */
    public void writeJson(StringBuilder out) {
        Json.write(toJson(), out);
    }

    /** Whether a JSON object read from {@code report.json} holds exactly this record (members in any order). */
    public boolean matchesJson(Map<?, ?> json) {
        return Objects.equals(new java.util.HashMap<>(toJson()), new java.util.HashMap<>(json));
    }

    /** The first field where a CSV row differs from this record, for the failure message. */
    String csvDifference(List<String> fields) {
        List<String> mine = csvFields();
        for (int i = 0; i < mine.size(); i++) {
            String theirs = i < fields.size() ? fields.get(i) : "<missing>";
            if (!mine.get(i).equals(theirs)) {
                return BundleFormat.CSV_COLUMNS.get(i) + " is '" + theirs + "' but the block has '" + mine.get(i) + "'";
            }
        }
        return "the row has " + fields.size() + " columns, expected " + mine.size();
    }

    /** The first member where a JSON object differs from this record, for the failure message. */
    String jsonDifference(Map<?, ?> json) {
        for (Map.Entry<String, Object> e : toJson().entrySet()) {
            Object theirs = json.get(e.getKey());
            if (!Objects.equals(e.getValue(), theirs) || !json.containsKey(e.getKey())) {
                return e.getKey() + " is " + (json.containsKey(e.getKey()) ? Json.write(theirs) : "missing")
                        + " but the block has " + Json.write(e.getValue());
            }
        }
        for (Object key : json.keySet()) {
            if (!toJson().containsKey(key)) {
                return "unknown member '" + key + "'";
            }
        }
        return "differs";
    }
}
