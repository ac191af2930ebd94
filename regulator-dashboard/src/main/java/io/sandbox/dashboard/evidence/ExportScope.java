package io.sandbox.dashboard.evidence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * What one export covers. The period is [from, to); the transactions of the period are those whose channel-header
 * timestamp (the client-signed proposal time) falls in it; the ledger extract is every block from the first to the
 * last block holding one of them, and the CSV and JSON list every transaction of those blocks.
 *
 * @param startup     the startup (tenant) name
 * @param displayName its display name, or the name
 * @param mspId       its MSP id, or {@code null}
 * @param channel     its channel
 * @param from        period start, inclusive
 * @param to          period end, exclusive
 * @param firstBlock  first block of the extract, {@code null} when the period holds no transaction
 * @param lastBlock   last block of the extract, {@code null} when empty
 * @param inPeriod    transactions of the period
 * @param actor       who exports
 * @param createdAt   when the export started
 */
public record ExportScope(String startup, String displayName, String mspId, String channel, Instant from, Instant to,
        Long firstBlock, Long lastBlock, long inPeriod, String actor, Instant createdAt) {

    /** The scope of {@code startup} over [from, to), or {@code null} when no such startup is registered. */
    public static ExportScope resolve(Connection c, String startup, Instant from, Instant to, String actor)
            throws SQLException {
        String displayName;
        String mspId;
        String channel;
        try (PreparedStatement s = c.prepareStatement(
                "select coalesce(display_name, name), msp_id, channel from startup where name = ?")) {
            s.setString(1, startup);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                displayName = r.getString(1);
                mspId = r.getString(2);
                channel = r.getString(3);
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                select min(block_number), max(block_number), count(*) from ledger_transaction
                where channel = ? and tx_timestamp >= ? and tx_timestamp < ?""")) {
            s.setString(1, channel);
            s.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            s.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                long count = r.getLong(3);
                Long first = count == 0 ? null : r.getLong(1);
                Long last = count == 0 ? null : r.getLong(2);
                return new ExportScope(startup, displayName, mspId, channel, from, to, first, last, count, actor,
                        Instant.now());
            }
        }
    }

    /** A file name that says what the bundle is: {@code evidence-<startup>-<from>-<to>.zip}. */
    public String fileName() {
        return "evidence-" + startup.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + stamp(from) + "-" + stamp(to) + ".zip";
    }

    private static String stamp(Instant instant) {
        return instant.toString().replace(":", "").replace("-", "");
    }
}
