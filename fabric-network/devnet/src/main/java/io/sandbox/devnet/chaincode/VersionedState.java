package io.sandbox.devnet.chaincode;

import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/**
 * The committed public world state a {@link TransactionSimulator} reads, implemented by the peer's state database
 * (Fabric's {@code statedb.VersionedDB}, LevelDB flavour). Only committed data is visible here: the simulator never
 * shows a transaction its own uncommitted writes.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Keys are compared in UTF-8 byte order (equivalently: Unicode code point order, see
 *       {@link Keys#UTF8_ORDER}), as LevelDB orders them; this is the order of {@link #range}.</li>
 *   <li>Every method may be called from several threads at once (one per transaction being simulated).</li>
 *   <li>Fabric holds the commit lock for reading during the whole of a simulation, so that a simulation never
 *       sees half a block. An implementation should at least apply a block atomically; anything a simulation
 *       reads across a commit is caught by MVCC validation of the read versions anyway.</li>
 * </ul>
 */
public interface VersionedState {

    /** The committed value of {@code key} in {@code namespace} (the chaincode name), or empty when absent. */
    Optional<VersionedValue> get(String namespace, String key);

    /**
     * The committed entries of {@code namespace} with {@code startKey <= key < endKey}, in key order. An empty
     * {@code startKey} means from the first key, an empty {@code endKey} means to the last key. The iterator is
     * consumed lazily and may be abandoned part way; when it also implements {@link AutoCloseable} it is closed
     * when the simulation no longer needs it.
     */
    Iterator<Entry> range(String namespace, String startKey, String endKey);

    /**
     * The history of {@code key}, newest first (as Fabric 2.x's history database returns it). Not part of the
     * simulation's read set. The default has no history database; the chaincode then gets Fabric's error
     * {@code history database is not enabled}.
     */
    default Iterator<HistoryEntry> history(String namespace, String key) {
        throw new UnsupportedOperationException("history database is not enabled");
    }

    /** One entry of a range. */
    record Entry(String key, VersionedValue value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * One modification of a key, as {@code queryresult.KeyModification}: the writing transaction, the value it
     * wrote (empty for a delete), the transaction's timestamp (its channel header timestamp) and whether it was a
     * delete.
     */
    record HistoryEntry(String txId, byte[] value, Instant timestamp, boolean isDelete) {
        public HistoryEntry {
            Objects.requireNonNull(txId, "txId");
            value = value == null ? new byte[0] : value;
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }
}
