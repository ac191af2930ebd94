package io.sandbox.dashboard.ingest.store;

import java.time.Instant;

/**
 * Where ingestion of a channel stands.
 *
 * @param channel        the channel
 * @param lastBlock      the last stored block's number, -1 before block 0
 * @param lastHeaderHash that block's header hash, {@code null} before block 0
 * @param status         {@code RUNNING} or {@code HALTED}
 * @param haltReason     why it halted, or {@code null}
 * @param txCount        transactions stored
 * @param invalidCount   of which the peer marked invalid
 * @param lastActivity   when the last block was stored, or {@code null}
 */
public record Checkpoint(String channel, long lastBlock, byte[] lastHeaderHash, String status, String haltReason,
        long txCount, long invalidCount, Instant lastActivity) {

    /** Status of a channel that is being ingested. */
    public static final String RUNNING = "RUNNING";
    /** Status of a channel stopped by an integrity failure. */
    public static final String HALTED = "HALTED";

    /** The block ingestion continues with. */
    public long nextBlock() {
        return lastBlock + 1;
    }

    public boolean halted() {
        return HALTED.equals(status);
    }
}
