package io.sandbox.dashboard.ingest.store;

import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Takes part in storing a run of blocks: {@link #stored} writes its own rows (alerts, test hits, risk) in the run's
 * database transaction, so they are committed with the blocks and the checkpoint or not at all. Used by one ingestion
 * thread; after a failed run the caller discards it (its in-memory state saw blocks that were rolled back).
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

    /** In the run's transaction, after its rows: the blocks that were accepted (verified and new), in order. */
    void stored(Connection connection, List<DecodedBlock> accepted) throws SQLException;

    /** After the run's transaction committed. */
    void committed();
}
