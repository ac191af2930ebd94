package io.sandbox.dashboard.web;

import io.agroal.api.AgroalDataSource;
import io.sandbox.dashboard.ledger.LedgerQueries;
import io.sandbox.dashboard.ledger.LedgerViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The pilots overview: every startup channel with its height, pace, invalid ratio, last activity and lag. */
@ApplicationScoped
public class Overview {

    private final LedgerQueries ledger;
    private final AgroalDataSource dataSource;

    Overview(LedgerQueries ledger, AgroalDataSource dataSource) {
        this.ledger = ledger;
        this.dataSource = dataSource;
    }

    /**
     * One row of the overview.
     *
     * @param perMinute    transactions stored in the last minute
     * @param invalidRatio invalid transactions over all, in percent
     */
    public record Row(String channel, long height, Long lag, String status, String stream, Instant lastActivity,
            long transactions, long perMinute, String invalidRatio, String haltReason) {
    }

    /** The rows, by channel, and whether ingestion is on. */
    public record View(boolean ingesting, List<Row> rows) {
    }

    public View view() {
        LedgerViews.Channels channels = ledger.channels();
        Map<String, Long> perMinute = perMinute();
        List<Row> rows = channels.channels().stream()
                .sorted(java.util.Comparator.comparing(LedgerViews.Channel::channel))
                .map(c -> new Row(c.channel(), c.ingestedHeight(), c.lag(), c.status(), c.stream(), c.lastActivity(),
                        c.txCount(), perMinute.getOrDefault(c.channel(), 0L),
                        c.txCount() == 0 ? "0.0" : String.format(java.util.Locale.ROOT, "%.1f",
                                100.0 * c.invalidCount() / c.txCount()),
                        c.haltReason()))
                .toList();
        return new View("ON".equals(channels.ingestion()), rows);
    }

    private Map<String, Long> perMinute() {
        Map<String, Long> counts = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select channel, sum(tx_count) from ledger_block"
                        + " where ingested_at > now() - interval '1 minute' group by channel");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count recent transactions: " + e.getMessage(), e);
        }
        return counts;
    }
}
