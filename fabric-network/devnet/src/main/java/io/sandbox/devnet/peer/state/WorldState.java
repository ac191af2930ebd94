package io.sandbox.devnet.peer.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.Iterator;
import io.sandbox.devnet.chaincode.VersionedState;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The world state of one channel on a peer: per namespace a versioned key-value store (Fabric's state
 * database), the history of every key (the history database) and the index of committed transaction ids (the
 * block store's txid index).
 *
 * <h2>Durability: rebuilt from the blocks</h2>
 * Everything is kept in memory only. The committed blocks, with the TRANSACTIONS_FILTER the validator wrote into
 * their metadata, are the single source of truth: on start the state is rebuilt by {@link #rebuild replaying}
 * them in order through {@link #commit}, which applies the writes of the transactions the filter marks
 * {@code VALID} and nothing else. Replay never re-validates (so a certificate that expired since, or a changed
 * endorsement policy, cannot change the past) and is deterministic, so a restarted peer serves the same state,
 * versions, history and txid index. The same path serves live commits, so the two cannot diverge.
 *
 * <h2>Consistency</h2>
 * {@link #commit} applies a block atomically: the updates are computed first, then swapped in under a write
 * lock, so readers see either none or all of a block. Single reads take the read lock; {@link #read} runs a
 * function under one read lock for a consistent multi-read snapshot (a transaction simulation). Thread-safe;
 * commits are serialised.
 *
 * <h2>Semantics</h2>
 * Keys are ordered by UTF-8 bytes ({@link KeyOrder}); versions are {@code (blockNum, txIndex)}; history is
 * newest first, as {@code GetHistoryForKey} since Fabric 2.0, and holds the value writes and deletes of valid
 * transactions (metadata-only writes are not history, as in Fabric's history database). The txid index holds
 * the first occurrence of every non-empty txid of every committed transaction, valid or not, with its
 * validation code, as Fabric's block store indexes them ({@code TxIDExists} is therefore true for an invalid
 * transaction's id too).
 */
public final class WorldState implements StateView {

    private final String channelId;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object commitMonitor = new Object();
    /**
     * The commit lock of simulations ({@link #snapshot}): held for reading by every open snapshot, for writing by
     * {@link #commit} while it swaps a block in. A StampedLock because a snapshot is read from, and closed on,
     * whichever thread serves the chaincode's stream.
     */
    private final StampedLock simulationLock = new StampedLock();
    private final Map<String, TreeMap<String, VersionedValue>> state = new HashMap<>();
    private final Map<String, Map<String, List<KeyModification>>> history = new HashMap<>();
    private final Map<String, TxRecord> txIndex = new HashMap<>();
    private long height;

    /** An empty world state (height 0). */
    public WorldState(String channelId) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
    }

    /** Rebuilds a channel's state by committing its stored blocks, from block 0, in order. */
    public static WorldState rebuild(String channelId, Iterable<Block> blocks) {
        WorldState ws = new WorldState(channelId);
        for (Block block : blocks) {
            ws.commit(block);
        }
        return ws;
    }

    /** The channel. */
    public String channelId() {
        return channelId;
    }

    /** The number of committed blocks: the next block's number. */
    public long height() {
        lock.readLock().lock();
        try {
            return height;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<VersionedValue> get(String namespace, String key) {
        lock.readLock().lock();
        try {
            return getUnlocked(namespace, key);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<KeyValue> range(String namespace, String startKey, String endKey) {
        lock.readLock().lock();
        try {
            return rangeUnlocked(namespace, startKey, endKey);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code reader} over a view that sees one consistent state (no block is committed meanwhile). */
    public <T> T read(Function<StateView, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(new StateView() {
                @Override
                public Optional<VersionedValue> get(String namespace, String key) {
                    return getUnlocked(namespace, key);
                }

                @Override
                public List<KeyValue> range(String namespace, String startKey, String endKey) {
                    return rangeUnlocked(namespace, startKey, endKey);
                }
            });
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Opens a consistent view of the committed state for one transaction simulation, as Fabric's simulator
     * holding the ledger's commit lock for reading: no block is committed until the snapshot is closed, so a
     * simulation sees one committed state and never half a block. Close it (the endorser must, also on failure).
     * It may be used and closed from any thread.
     */
    public Snapshot snapshot() {
        return new Snapshot(simulationLock.readLock());
    }

    /** A {@link VersionedState} over one committed height of this world state; see {@link #snapshot()}. */
    public final class Snapshot implements VersionedState, AutoCloseable {
        private final long stamp;
        private final long snapshotHeight;
        private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

        private Snapshot(long stamp) {
            this.stamp = stamp;
            this.snapshotHeight = height;
        }

        /** The height this snapshot sees (the number of committed blocks). */
        public long height() {
            return snapshotHeight;
        }

        @Override
        public Optional<VersionedValue> get(String namespace, String key) {
            checkOpen();
            return getUnlocked(namespace, key);
        }

        /** Materialised when called: the simulation holds the commit lock, so the slice cannot change anyway. */
        @Override
        public Iterator<KeyValue> range(String namespace, String startKey, String endKey) {
            checkOpen();
            return rangeUnlocked(namespace, startKey, endKey).iterator();
        }

        @Override
        public Iterator<KeyModification> history(String namespace, String key) {
            checkOpen();
            return WorldState.this.history(namespace, key).iterator();
        }

        private void checkOpen() {
            if (!open.get()) {
                throw new IllegalStateException("state snapshot of channel " + channelId + " is closed");
            }
        }

        /** Releases the commit lock; idempotent. */
        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                simulationLock.unlockRead(stamp);
            }
        }
    }

    /** The committed changes of a key, newest first. */
    public List<KeyModification> history(String namespace, String key) {
        lock.readLock().lock();
        try {
            List<KeyModification> mods = history.getOrDefault(namespace, Map.of()).get(key);
            return mods == null ? List.of() : List.copyOf(mods.reversed());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Where a transaction id was committed, if it was. */
    public Optional<TxRecord> transaction(String txId) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(txIndex.get(txId));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether a transaction with this id was committed (valid or not): {@code TxIDExists}. */
    public boolean txIdExists(String txId) {
        return transaction(txId).isPresent();
    }

    /**
     * Commits the next block: indexes its txids and applies the writes of the transactions its
     * TRANSACTIONS_FILTER marks valid, versioned {@code (blockNum, txIndex)}, atomically.
     *
     * <p>Block 0 may lack the filter (an orderer's genesis block): its transactions then count as valid, as when
     * Fabric creates a ledger from a genesis block. Any other block must carry one byte per transaction.
     *
     * @throws IllegalArgumentException if the block is not the next one, lacks a filter, or a valid endorser
     *                                  transaction cannot be parsed
     */
    public void commit(Block block) {
        Objects.requireNonNull(block, "block");
        synchronized (commitMonitor) {
            long number = block.getHeader().getNumber();
            if (number != height) {
                throw new IllegalArgumentException("channel " + channelId + " expects block " + height
                        + ", got block " + number);
            }
            int count = block.getData().getDataCount();
            byte[] filter = filter(block, count);
            UpdateBatch batch = new UpdateBatch(this);
            Map<String, Map<String, List<KeyModification>>> newHistory = new LinkedHashMap<>();
            Map<String, TxRecord> newTxIds = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                TxValidationCode code = TxValidationCode.forNumber(filter[i] & 0xff);
                if (code == null) {
                    code = TxValidationCode.INVALID_OTHER_REASON;
                }
                Payload payload;
                ChannelHeader chdr;
                try {
                    payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(i)).getPayload());
                    chdr = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                } catch (InvalidProtocolBufferException e) {
                    if (code == TxValidationCode.VALID) {
                        throw new IllegalArgumentException("block " + number + " tx " + i
                                + " is marked valid but is malformed: " + e.getMessage(), e);
                    }
                    continue;
                }
                String txId = chdr.getTxId();
                if (!txId.isEmpty() && !txIndex.containsKey(txId) && !newTxIds.containsKey(txId)) {
                    newTxIds.put(txId, new TxRecord(txId, number, i, code));
                }
                if (code != TxValidationCode.VALID || chdr.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
                    continue;
                }
                List<NsRwSet> rwSets;
                try {
                    rwSets = TxRwSets.parse(TxRwSets.chaincodeAction(payload).getResults());
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalArgumentException("block " + number + " tx " + i
                            + " is marked valid but its read-write set is malformed: " + e.getMessage(), e);
                }
                Version version = new Version(number, i);
                batch.addTransaction(rwSets, version);
                Instant timestamp = Instant.ofEpochSecond(chdr.getTimestamp().getSeconds(), chdr.getTimestamp().getNanos());
                for (NsRwSet ns : rwSets) {
                    for (KVWrite w : ns.kvRwSet().getWritesList()) {
                        boolean delete = TxRwSets.isDelete(w);
                        newHistory.computeIfAbsent(ns.namespace(), n -> new HashMap<>())
                                .computeIfAbsent(w.getKey(), k -> new ArrayList<>())
                                .add(new KeyModification(txId, delete ? ByteString.EMPTY : w.getValue(), timestamp,
                                        delete, version));
                    }
                }
            }
            long simulations = simulationLock.writeLock();
            lock.writeLock().lock();
            try {
                for (String ns : batch.namespaces()) {
                    TreeMap<String, VersionedValue> kv = state.computeIfAbsent(ns, n -> new TreeMap<>(KeyOrder.UTF8));
                    for (UpdateBatch.Update u : batch.updates(ns).values()) {
                        if (u.isDelete()) {
                            kv.remove(u.key());
                        } else {
                            kv.put(u.key(), u.value());
                        }
                    }
                }
                newHistory.forEach((ns, keys) -> keys.forEach((key, mods) -> history
                        .computeIfAbsent(ns, n -> new HashMap<>())
                        .computeIfAbsent(key, k -> new ArrayList<>())
                        .addAll(mods)));
                txIndex.putAll(newTxIds);
                height = number + 1;
            } finally {
                lock.writeLock().unlock();
                simulationLock.unlockWrite(simulations);
            }
        }
    }

    private static byte[] filter(Block block, int count) {
        var metadata = block.getMetadata();
        int index = BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE;
        byte[] filter = metadata.getMetadataCount() > index ? metadata.getMetadata(index).toByteArray() : new byte[0];
        if (filter.length == count) {
            return filter;
        }
        if (filter.length == 0 && block.getHeader().getNumber() == 0) {
            return new byte[count];
        }
        throw new IllegalArgumentException("block " + block.getHeader().getNumber() + " has a TRANSACTIONS_FILTER of "
                + filter.length + " bytes for " + count + " transactions");
    }

    private Optional<VersionedValue> getUnlocked(String namespace, String key) {
        TreeMap<String, VersionedValue> kv = state.get(namespace);
        return kv == null ? Optional.empty() : Optional.ofNullable(kv.get(key));
    }

    private List<KeyValue> rangeUnlocked(String namespace, String startKey, String endKey) {
        TreeMap<String, VersionedValue> kv = state.get(namespace);
        if (kv == null) {
            return List.of();
        }
        SortedMap<String, VersionedValue> slice;
        boolean openStart = startKey == null || startKey.isEmpty();
        boolean openEnd = endKey == null || endKey.isEmpty();
        if (!openStart && !openEnd && KeyOrder.compare(startKey, endKey) >= 0) {
            return List.of();
        }
        if (openStart && openEnd) {
            slice = kv;
        } else if (openStart) {
            slice = kv.headMap(endKey);
        } else if (openEnd) {
            slice = kv.tailMap(startKey);
        } else {
            slice = kv.subMap(startKey, endKey);
        }
        List<KeyValue> out = new ArrayList<>(slice.size());
        slice.forEach((k, v) -> out.add(new KeyValue(k, v)));
        return out;
    }

    @Override
    public String toString() {
        return "WorldState[" + channelId + " @" + height() + "]";
    }
}
