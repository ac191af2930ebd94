package io.sandbox.dashboard.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** The ledger API's response bodies. */
public final class LedgerViews {

    private LedgerViews() {
    }

    /**
     * All channels and whether ingestion runs.
     *
     * @param ingestion {@code ON}, or {@code OFF} when no network profile is configured
     * @param channels  every channel with a checkpoint
     */
    public record Channels(String ingestion, List<Channel> channels) {
    }

    /**
     * One channel.
     *
     * @param channel        its id
     * @param ingestedHeight blocks stored (last block number + 1)
     * @param peerHeight     the regulator peer's height, {@code null} if unknown
     * @param lag            peer height minus ingested height, {@code null} if unknown
     * @param status         {@code RUNNING} or {@code HALTED}
     * @param haltReason     why ingestion halted
     * @param stream         the stream's state ({@code STREAMING}, {@code BACKING_OFF}, ...), {@code null} if none
     * @param lastActivity   when a block was last stored
     * @param txCount        transactions stored
     * @param invalidCount   of which invalid
     */
    public record Channel(String channel, long ingestedHeight, Long peerHeight, Long lag, String status,
            String haltReason, String stream, Instant lastActivity, long txCount, long invalidCount) {
    }

    /** A stored block header; hashes in lower-case hex. */
    public record Block(String channel, long number, String headerHash, String previousHash, String dataHash,
            Instant ingestedAt, int txCount) {
    }

    /** A page of blocks. */
    public record Blocks(String channel, long from, int limit, List<Block> blocks) {
    }

    /** A decoded transaction with the block that holds it. */
    public record Transaction(String channel, String txId, long blockNumber, String blockHeaderHash, int index,
            Instant timestamp, String headerType, String creatorMsp, String creatorSubject, List<String> endorserMsps,
            String chaincode, String function, JsonNode reads, JsonNode writes, String validationCode,
            String eventName, JsonNode reportingEvents, List<String> argDigests, String decodeError) {
    }
}
