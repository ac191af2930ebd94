package io.sandbox.dashboard.ingest.store;

/**
 * What one {@link IngestStore#ingest} call stored.
 *
 * @param blocks       blocks stored
 * @param transactions transactions stored
 * @param lastBlock    the checkpoint after the call
 * @param haltReason   why the channel halted in this call or before, or {@code null} if it runs on
 */
public record IngestResult(int blocks, int transactions, long lastBlock, String haltReason) {

    public boolean halted() {
        return haltReason != null;
    }
}
