package io.sandbox.dashboard.rules;

import io.sandbox.core.rules.ReportingEvent;
import io.sandbox.core.rules.TransactionFacts;
import io.sandbox.dashboard.ingest.decode.DecodedTransaction;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Maps decoded and stored transactions to the rule model's {@link TransactionFacts}. */
public final class Facts {

    /** The {@code _lifecycle} key a chaincode definition's commit writes, followed by the chaincode's name. */
    private static final String METADATA = "namespaces/metadata/";

    /** The columns {@link #of(ResultSet, String)} reads, in order, from {@code ledger_transaction}. */
    public static final String COLUMNS = "channel, block_number, tx_index, tx_id, tx_timestamp, header_type, creator_msp, "
            + "endorser_msps, chaincode, function, validation_code, reporting_events, "
            + "case when chaincode = '_lifecycle' then (select substr(k, " + (METADATA.length() + 1) + ") "
            + "from jsonb_array_elements_text(writes -> '_lifecycle') k where k like '" + METADATA + "%' limit 1) end";

    private Facts() {
    }

    /** A decoded transaction; one without a timestamp gets {@code fallback} (the time it was stored). */
    public static TransactionFacts of(String channel, String startup, long block, DecodedTransaction tx,
            Instant fallback) {
        return new TransactionFacts(channel, startup, block, tx.index(), tx.txId() == null ? "" : tx.txId(),
                tx.timestamp() == null ? fallback : tx.timestamp(), tx.headerType(), tx.creatorMsp(),
                tx.endorserMsps(), tx.chaincode(), tx.function(), tx.validationCode(), first(tx.reportingEvents()),
                deployed(tx.writes()));
    }

    /** A stored row selected with {@link #COLUMNS}. */
    public static TransactionFacts of(ResultSet rs, String startup) throws SQLException {
        Timestamp ts = rs.getTimestamp(5);
        Array endorsers = rs.getArray(8);
        List<String> msps = endorsers == null ? List.of() : Arrays.asList((String[]) endorsers.getArray());
        String id = rs.getString(4);
        return new TransactionFacts(rs.getString(1), startup, rs.getLong(2), rs.getInt(3), id == null ? "" : id,
                ts == null ? Instant.EPOCH : ts.toInstant(), rs.getString(6), rs.getString(7), msps, rs.getString(9),
                rs.getString(10), rs.getString(11), first(rs.getString(12)), rs.getString(13));
    }

    /** The chaincode whose definition a {@code _lifecycle} write set commits, or {@code null}. */
    static String deployed(java.util.Map<String, List<String>> writes) {
        if (writes == null || writes.get("_lifecycle") == null) {
            return null;
        }
        return writes.get("_lifecycle").stream().filter(k -> k.startsWith(METADATA))
                .map(k -> k.substring(METADATA.length())).findFirst().orElse(null);
    }

    private static ReportingEvent first(String json) {
        if (json == null) {
            return null;
        }
        List<ReportingEvent> events = ReportingEvent.parseAll(json);
        return events.isEmpty() ? null : events.get(0);
    }
}
