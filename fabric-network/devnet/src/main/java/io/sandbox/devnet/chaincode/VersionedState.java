package io.sandbox.devnet.chaincode;

import io.sandbox.devnet.peer.state.KeyModification;
import io.sandbox.devnet.peer.state.KeyOrder;
import io.sandbox.devnet.peer.state.KeyValue;
import io.sandbox.devnet.peer.state.VersionedValue;
import java.util.Iterator;
import java.util.Optional;

/**
 * The committed public world state a {@link TransactionSimulator} reads (values, versions and history are the
 * {@code peer.state} types the committer keeps; the peer serves one through
 * {@link io.sandbox.devnet.peer.state.WorldState#snapshot()}), implemented by the peer's state database
 * (Fabric's {@code statedb.VersionedDB}, LevelDB flavour). Only committed data is visible here: the simulator never
 * shows a transaction its own uncommitted writes.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Keys are compared in UTF-8 byte order (equivalently: Unicode code point order, see
 *       {@link KeyOrder#UTF8}), as LevelDB orders them; this is the order of {@link #range}.</li>
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
    Iterator<KeyValue> range(String namespace, String startKey, String endKey);

    /**
     * The history of {@code key}, newest first (as Fabric 2.x's history database returns it). Not part of the
     * simulation's read set. The default has no history database; the chaincode then gets Fabric's error
     * {@code history database is not enabled}.
     */
    default Iterator<KeyModification> history(String namespace, String key) {
        throw new UnsupportedOperationException("history database is not enabled");
    }
}
