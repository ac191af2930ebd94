package io.sandbox.dashboard.ingest.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.decode.DecodedTransaction;
import io.sandbox.core.fabric.block.BlockHashes;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Stores decoded blocks with plain JDBC and COPY: the rows of a run of blocks and the channel's checkpoint are written
 * in one database transaction, after each block's data hash and previous-hash link were verified against the
 * checkpoint. A block at or below the checkpoint is skipped (it is stored already); a block that fails verification
 * halts the channel and raises an {@code INTEGRITY} alert in the same transaction, keeping the blocks before it.
 */
public final class IngestStore {

    private static final byte[] NO_HASH = new byte[0];
    private static final String COPY_BLOCKS = "copy ledger_block (channel, number, header_hash, previous_hash, "
            + "data_hash, ingested_at, tx_count) from stdin";
    private static final String COPY_TRANSACTIONS = "copy ledger_transaction (channel, block_number, tx_index, tx_id, "
            + "tx_timestamp, header_type, creator_msp, creator_subject, endorser_msps, chaincode, function, reads, "
            + "writes, validation_code, event_name, reporting_events, arg_digests, decode_error) from stdin";

    private final DataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();

    public IngestStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The channel's checkpoint, created (RUNNING, before block 0) if it has none. */
    public Checkpoint checkpoint(String channel) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            ensure(connection, channel);
            return read(connection, channel, false);
        } catch (SQLException e) {
            throw new IngestException("cannot read the checkpoint of " + channel, e);
        }
    }

    /** Every channel's checkpoint. */
    public List<Checkpoint> checkpoints() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select channel, last_block, last_header_hash, status, halt_reason, tx_count, invalid_count, "
                                + "last_activity from channel_checkpoint order by channel")) {
            List<Checkpoint> all = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.add(checkpoint(rs));
                }
            }
            return all;
        } catch (SQLException e) {
            throw new IngestException("cannot read the checkpoints", e);
        }
    }

    /** Verifies and stores {@code blocks} (consecutive, of one channel) with the checkpoint, in one transaction. */
    public IngestResult ingest(String channel, List<DecodedBlock> blocks) {
        return ingest(channel, blocks, RunObserver.NONE);
    }

    /**
     * As {@link #ingest(String, List)}, with {@code observer} writing its rows for the accepted blocks in the same
     * transaction and told of the commit.
     */
    public IngestResult ingest(String channel, List<DecodedBlock> blocks, RunObserver observer) {
        Objects.requireNonNull(channel, "channel");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                IngestResult result = ingest(connection, channel, blocks, observer);
                connection.commit();
                observer.committed();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IngestException("cannot store blocks of " + channel, e);
        }
    }

    private IngestResult ingest(Connection connection, String channel, List<DecodedBlock> blocks, RunObserver observer)
            throws SQLException {
        ensure(connection, channel);
        Checkpoint checkpoint = read(connection, channel, true);
        if (checkpoint.halted()) {
            return new IngestResult(0, 0, checkpoint.lastBlock(), checkpoint.haltReason());
        }
        long last = checkpoint.lastBlock();
        byte[] lastHash = checkpoint.lastHeaderHash() == null ? NO_HASH : checkpoint.lastHeaderHash();
        List<DecodedBlock> accepted = new ArrayList<>(blocks.size());
        String failure = null;
        DecodedBlock failed = null;
        for (DecodedBlock block : blocks) {
            if (!block.channel().equals(channel)) {
                throw new IllegalArgumentException("block of " + block.channel() + " given for " + channel);
            }
            if (block.number() <= last) {
                continue;
            }
            failure = verify(block, last, lastHash);
            if (failure != null) {
                failed = block;
                break;
            }
            accepted.add(block);
            last = block.number();
            lastHash = block.headerHash();
        }
        int txCount = 0;
        int invalid = 0;
        if (!accepted.isEmpty()) {
            Instant now = Instant.now();
            CopyRows blockRows = new CopyRows();
            CopyRows txRows = new CopyRows();
            for (DecodedBlock block : accepted) {
                blockRows.text(channel).number(block.number()).bytea(block.headerHash()).bytea(block.previousHash())
                        .bytea(block.dataHash()).timestamp(now).number(block.transactions().size()).endRow();
                for (DecodedTransaction tx : block.transactions()) {
                    txRows.text(channel).number(block.number()).number(tx.index()).text(tx.txId())
                            .timestamp(tx.timestamp()).text(tx.headerType()).text(tx.creatorMsp())
                            .text(tx.creatorSubject()).array(tx.endorserMsps()).text(tx.chaincode()).text(tx.function())
                            .text(keys(tx.reads())).text(keys(tx.writes())).text(tx.validationCode())
                            .text(tx.eventName()).text(tx.reportingEvents()).array(tx.argDigests())
                            .text(tx.decodeError()).endRow();
                    txCount++;
                    if (!tx.valid()) {
                        invalid++;
                    }
                }
            }
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            try {
                copy.copyIn(COPY_BLOCKS, new ByteArrayInputStream(blockRows.bytes()));
                if (!txRows.isEmpty()) {
                    copy.copyIn(COPY_TRANSACTIONS, new ByteArrayInputStream(txRows.bytes()));
                }
            } catch (java.io.IOException e) {
                throw new SQLException("COPY failed: " + e.getMessage(), e);
            }
            observer.stored(connection, accepted);
        }
        try (PreparedStatement update = connection.prepareStatement("update channel_checkpoint set last_block = ?, "
                + "last_header_hash = ?, tx_count = tx_count + ?, invalid_count = invalid_count + ?, "
                + "last_activity = case when ? > 0 then now() else last_activity end, status = ?, halt_reason = ?, "
                + "updated_at = now() where channel = ?")) {
            update.setLong(1, last);
            update.setBytes(2, last < 0 ? null : lastHash);
            update.setLong(3, txCount);
            update.setLong(4, invalid);
            update.setInt(5, accepted.size());
            update.setString(6, failure == null ? Checkpoint.RUNNING : Checkpoint.HALTED);
            update.setString(7, failure);
            update.setString(8, channel);
            update.executeUpdate();
        }
        if (failure != null) {
            try (PreparedStatement alert = connection.prepareStatement("insert into alert (kind, severity, channel, "
                    + "block_number, title, detail) values ('INTEGRITY', 'SEVERE', ?, ?, ?, ?)")) {
                alert.setString(1, channel);
                alert.setLong(2, failed.number());
                alert.setString(3, "Ledger integrity check failed on " + channel + " at block " + failed.number());
                alert.setString(4, failure + " Ingestion of this channel is halted.");
                alert.executeUpdate();
            }
        }
        return new IngestResult(accepted.size(), txCount, last, failure);
    }

    /** Why {@code block} cannot follow block {@code last} with header hash {@code lastHash}, or {@code null}. */
    static String verify(DecodedBlock block, long last, byte[] lastHash) {
        if (block.number() != last + 1) {
            return "Block " + block.number() + " arrived where block " + (last + 1) + " was expected.";
        }
        if (!block.dataHashMatches()) {
            return "Block " + block.number() + ": the data hash in its header (" + BlockHashes.hex(block.dataHash())
                    + ") does not match the hash of its data.";
        }
        if (!Arrays.equals(block.previousHash(), lastHash)) {
            return "Block " + block.number() + ": its previous hash (" + BlockHashes.hex(block.previousHash())
                    + ") is not the header hash of block " + last + " (" + BlockHashes.hex(lastHash) + ").";
        }
        return null;
    }

    private String keys(Map<String, List<String>> keys) {
        if (keys == null) {
            return null;
        }
        try {
            return json.writeValueAsString(keys);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("keys are plain strings", e);
        }
    }

    private static void ensure(Connection connection, String channel) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into channel_checkpoint (channel) values (?) on conflict (channel) do nothing")) {
            insert.setString(1, channel);
            insert.executeUpdate();
        }
    }

    private static Checkpoint read(Connection connection, String channel, boolean lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select channel, last_block, last_header_hash, "
                + "status, halt_reason, tx_count, invalid_count, last_activity from channel_checkpoint where channel = ?"
                + (lock ? " for update" : ""))) {
            select.setString(1, channel);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no checkpoint row for " + channel);
                }
                return checkpoint(rs);
            }
        }
    }

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        Timestamp activity = rs.getTimestamp(8);
        return new Checkpoint(rs.getString(1), rs.getLong(2), rs.getBytes(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getLong(7), activity == null ? null : activity.toInstant());
    }
}
