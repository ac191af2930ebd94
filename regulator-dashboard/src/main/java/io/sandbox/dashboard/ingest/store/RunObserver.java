package io.sandbox.dashboard.ingest.store;

import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Takes part in storing a run of blocks: {@link #stored} writes its own rows (alerts, test hits, risk) in the run's
 * database transaction, so they are committed with the blocks and the checkpoint or not at all. {@link #decoded} runs on
 * the ingestion's reader thread, the rest on its store thread; after a failed run the caller discards it (its in-memory state saw blocks that were rolled back).
 */
public interface RunObserver {

    /** Observes nothing. */
    RunObserver NONE = new RunObserver() {
        @Override
        public void stored(Connection connection, List<DecodedBlock> accepted) {
        }

        @Override
        public void committed() {
        }
    };

    /**
     * On the reader thread, for each block as soon as it is decoded, in ledger order, before it is queued for storing:
     * lets the observer do its expensive work (rule evaluation) off the store thread. Optional: an observer must also
     * cope with blocks it never saw here (and then do the work in {@link #stored}); a caller uses one way or the other.
     */
    default void decoded(DecodedBlock block) {
    }

    /** In the run's transaction, after its rows: the blocks that were accepted (verified and new), in order. */
    void stored(Connection connection, List<DecodedBlock> accepted) throws SQLException;

    /** After the run's transaction committed. */
    void committed();
}
