package io.sandbox.dashboard.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.web.ProblemException;
import io.sandbox.dashboard.ingest.store.Checkpoint;
import io.sandbox.dashboard.ingest.store.IngestStore;
import io.sandbox.dashboard.ingest.stream.IngestionService;
import io.sandbox.dashboard.ingest.stream.IngestionService.LiveChannel;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads what ingestion stored, each answer from one consistent snapshot (one statement or one read-only transaction). */
@ApplicationScoped
public class LedgerQueries {

    private final AgroalDataSource dataSource;
    private final IngestionService ingestion;
    private final IngestStore store;
    private final ObjectMapper json;

    LedgerQueries(AgroalDataSource dataSource, IngestionService ingestion, ObjectMapper json) {
        this.dataSource = dataSource;
        this.ingestion = ingestion;
        this.store = new IngestStore(dataSource);
        this.json = json;
    }

    public LedgerViews.Channels channels() {
        List<LedgerViews.Channel> channels = new ArrayList<>();
        for (Checkpoint cp : store.checkpoints()) {
            LiveChannel live = ingestion.live(cp.channel()).orElse(null);
            Long peer = live == null || live.peerHeight() < 0 ? null : live.peerHeight();
            long ingested = cp.lastBlock() + 1;
            channels.add(new LedgerViews.Channel(cp.channel(), ingested, peer,
                    peer == null ? null : Math.max(0, peer - ingested), cp.status(), cp.haltReason(),
                    live == null ? null : live.state(), cp.lastActivity(), cp.txCount(), cp.invalidCount()));
        }
        return new LedgerViews.Channels(ingestion.enabled() ? "ON" : "OFF", channels);
    }

    public LedgerViews.Blocks blocks(String channel, long from, int limit) {
        try (Connection connection = dataSource.getConnection()) {
            if (!exists(connection, channel)) {
                throw ProblemException.notFound("Channel '" + channel + "'");
            }
            List<LedgerViews.Block> blocks = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select number, header_hash, previous_hash, "
                    + "data_hash, ingested_at, tx_count from ledger_block where channel = ? and number >= ? "
                    + "order by number limit ?")) {
                select.setString(1, channel);
                select.setLong(2, from);
                select.setInt(3, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        blocks.add(new LedgerViews.Block(channel, rs.getLong(1), hex(rs.getBytes(2)),
                                hex(rs.getBytes(3)), hex(rs.getBytes(4)), instant(rs.getTimestamp(5)), rs.getInt(6)));
                    }
                }
            }
            return new LedgerViews.Blocks(channel, from, limit, blocks);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read blocks", e);
        }
    }

    /** The transaction with this id; of several (a replayed id), the valid one, else the first stored. */
    public LedgerViews.Transaction transaction(String txId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select t.channel, t.tx_id, t.block_number, "
                        + "b.header_hash, t.tx_index, t.tx_timestamp, t.header_type, t.creator_msp, t.creator_subject, "
                        + "t.endorser_msps, t.chaincode, t.function, t.reads::text, t.writes::text, t.validation_code, "
                        + "t.event_name, t.reporting_events::text, t.arg_digests, t.decode_error "
                        + "from ledger_transaction t join ledger_block b "
                        + "on b.channel = t.channel and b.number = t.block_number where t.tx_id = ? "
                        + "order by (t.validation_code = 'VALID') desc, t.channel, t.block_number, t.tx_index limit 1")) {
            select.setString(1, txId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("Transaction '" + txId + "'");
                }
                return new LedgerViews.Transaction(rs.getString(1), rs.getString(2), rs.getLong(3),
                        hex(rs.getBytes(4)), rs.getInt(5), instant(rs.getTimestamp(6)), rs.getString(7),
                        rs.getString(8), rs.getString(9), strings(rs.getArray(10)), rs.getString(11), rs.getString(12),
                        tree(rs.getString(13)), tree(rs.getString(14)), rs.getString(15), rs.getString(16),
                        tree(rs.getString(17)), strings(rs.getArray(18)), rs.getString(19));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the transaction", e);
        }
    }

    private static boolean exists(Connection connection, String channel) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select 1 from channel_checkpoint where channel = ?")) {
            select.setString(1, channel);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((String[]) array.getArray());
    }

    private static String hex(byte[] bytes) {
        return BlockHashes.hex(bytes);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
