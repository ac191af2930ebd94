package io.sandbox.devnet.chaincode;

import io.sandbox.devnet.peer.state.KeyOrder;
import io.sandbox.devnet.peer.state.KeyValue;
import io.sandbox.devnet.peer.state.VersionedValue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import com.google.protobuf.ByteString;

import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;

/**
 * Simulates one transaction over the committed {@link VersionedState} and builds its read-write set, as Fabric's
 * {@code txmgr.txSimulator} with {@code rwsetutil.RWSetBuilder} does:
 * <ul>
 *   <li>reads always go to committed state: a transaction does <em>not</em> see its own writes (Fabric's
 *       query executor reads the state database only); each read records the key with the committed version, or
 *       no version when the key is absent; a key read twice is recorded once;</li>
 *   <li>a write of an empty value, and a delete, is a write with {@code is_delete}; the last write to a key
 *       wins;</li>
 *   <li>metadata reads record a read of the key (Fabric reads the entry for its metadata); a metadata write
 *       replaces the key's whole metadata, entries sorted by name;</li>
 *   <li>range scans record a {@code RangeQueryInfo} each, in the order they were opened: the start key, the end
 *       key (the last key returned, or the requested end key once the iterator was exhausted),
 *       {@code itr_exhausted}, and the reads returned with their versions;</li>
 *   <li>paginated scans are only allowed before any write, and writes are refused after one (Fabric's rule for
 *       read-only paginated queries);</li>
 *   <li>the rwset has data model KV and one {@code NsReadWriteSet} per namespace touched, namespaces sorted; in
 *       each {@code KVRWSet} reads, writes and metadata writes are sorted by key (UTF-8 byte order).</li>
 * </ul>
 * The methods are thread-safe. {@link #results()} ends the simulation.
 */
public final class TransactionSimulator {

    private final VersionedState state;
    private final String txId;
    private final Map<String, Namespace> namespaces = new TreeMap<>(KeyOrder.UTF8);
    private final List<RangeScan> scans = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean writePerformed;
    private boolean paginatedQueryPerformed;
    private volatile boolean done;

    public TransactionSimulator(VersionedState state, String txId) {
        this.state = Objects.requireNonNull(state, "state");
        this.txId = Objects.requireNonNull(txId, "txId");
    }

    public String txId() {
        return txId;
    }

    /** The committed value, or null when absent; records the read. */
    public byte[] getState(String namespace, String key) {
        checkDone();
        Optional<VersionedValue> value = state.get(namespace, key); // not under the lock: the state may block
        recordRead(namespace, key, value);
        return value.map(v -> v.value().toByteArray()).orElse(null);
    }

    /** The committed metadata of the key (empty when absent or none); records a read of the key. */
    public Map<String, byte[]> getStateMetadata(String namespace, String key) {
        checkDone();
        Optional<VersionedValue> value = state.get(namespace, key);
        recordRead(namespace, key, value);
        return value.map(v -> {
            Map<String, byte[]> metadata = new TreeMap<>();
            v.metadata().forEach((name, bytes) -> metadata.put(name, bytes.toByteArray()));
            return metadata;
        }).orElse(Map.of());
    }

    /** Records a write; a null or empty value is a delete, as Fabric (its write has {@code value == nil}). */
    public synchronized void setState(String namespace, String key, byte[] value) {
        checkWrite(key);
        boolean delete = value == null || value.length == 0;
        KVWrite.Builder write = KVWrite.newBuilder().setKey(key).setIsDelete(delete);
        if (!delete) {
            write.setValue(ByteString.copyFrom(value));
        }
        ns(namespace).writes.put(key, write.build());
    }

    public synchronized void deleteState(String namespace, String key) {
        setState(namespace, key, null);
    }

    /** Records the key's complete new metadata (an empty map deletes the metadata). */
    public synchronized void setStateMetadata(String namespace, String key, Map<String, byte[]> metadata) {
        checkWrite(key);
        KVMetadataWrite.Builder write = KVMetadataWrite.newBuilder().setKey(key);
        if (metadata != null) {
            new TreeMap<>(metadata).forEach((name, value) -> write.addEntries(KVMetadataEntry.newBuilder()
                    .setName(name).setValue(ByteString.copyFrom(value == null ? new byte[0] : value))));
        }
        ns(namespace).metadataWrites.put(key, write.build());
    }

    /**
     * Opens a range scan of committed state over {@code [startKey, endKey)}; {@code pageSize > 0} makes it a
     * paginated scan returning at most that many entries.
     */
    public RangeScan rangeScan(String namespace, String startKey, String endKey, int pageSize) {
        synchronized (this) {
            checkDone();
            if (pageSize > 0) {
                if (writePerformed) {
                    throw new IllegalStateException("txid [" + txId + "]: unsuppored transaction. Paginated queries"
                            + " are supported only in a read-only transaction");
                }
                paginatedQueryPerformed = true;
            }
            ns(namespace);
        }
        RangeScan scan = new RangeScan(namespace, startKey, endKey, pageSize,
                state.range(namespace, startKey, endKey));
        scans.add(scan);
        return scan;
    }

    /** Ends the simulation and returns its read-write set; a second call fails, as Fabric. */
    public synchronized TxReadWriteSet results() {
        if (done) {
            throw new IllegalStateException("this function should only be called once on a transaction simulator"
                    + " instance");
        }
        done = true;
        for (RangeScan scan : scans) {
            scan.close();
            ns(scan.namespace).rangeQueries.add(scan.info());
        }
        TxReadWriteSet.Builder rwset = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV);
        namespaces.forEach((name, ns) -> rwset.addNsRwset(NsReadWriteSet.newBuilder()
                .setNamespace(name)
                .setRwset(ns.build().toByteString())));
        return rwset.build();
    }

    /** Releases open scans without producing results (a failed or timed-out execution). */
    public void abandon() {
        done = true;
        scans.forEach(RangeScan::close);
    }

    private synchronized void recordRead(String namespace, String key, Optional<VersionedValue> value) {
        checkDone();
        KVRead.Builder read = KVRead.newBuilder().setKey(key);
        value.ifPresent(v -> read.setVersion(v.version().toProto()));
        ns(namespace).reads.put(key, read.build());
    }

    private void checkDone() {
        if (done) {
            throw new IllegalStateException("this instance should not be used after calling Done()");
        }
    }

    private void checkWrite(String key) {
        checkDone();
        if (paginatedQueryPerformed) {
            throw new IllegalStateException("txid [" + txId + "]: unsuppored transaction. Transaction has already"
                    + " performed a paginated query. Writes are not allowed");
        }
        Objects.requireNonNull(key, "key");
        writePerformed = true;
    }

    private Namespace ns(String name) {
        return namespaces.computeIfAbsent(Objects.requireNonNull(name, "namespace"), n -> new Namespace());
    }

    private static final class Namespace {
        final Map<String, KVRead> reads = new TreeMap<>(KeyOrder.UTF8);
        final Map<String, KVWrite> writes = new TreeMap<>(KeyOrder.UTF8);
        final Map<String, KVMetadataWrite> metadataWrites = new TreeMap<>(KeyOrder.UTF8);
        final List<RangeQueryInfo> rangeQueries = new ArrayList<>();

        KVRWSet build() {
            return KVRWSet.newBuilder()
                    .addAllReads(reads.values())
                    .addAllRangeQueriesInfo(rangeQueries)
                    .addAllWrites(writes.values())
                    .addAllMetadataWrites(metadataWrites.values())
                    .build();
        }
    }

    /** An open range scan: entries in key order, recorded for phantom-read validation. */
    public final class RangeScan {
        private final String namespace;
        private final String startKey;
        private final String endKey;
        private final int pageSize;
        private final Iterator<KeyValue> source;
        private final List<KVRead> reads = new ArrayList<>();
        private KeyValue peeked;
        private String lastKey;
        private int returned;
        private boolean exhausted;
        private boolean closed;

        private RangeScan(String namespace, String startKey, String endKey, int pageSize,
                Iterator<KeyValue> source) {
            this.namespace = namespace;
            this.startKey = startKey;
            this.endKey = endKey;
            this.pageSize = pageSize;
            this.source = source;
        }

        public String namespace() {
            return namespace;
        }

        /** The next entry, or null at the end (which marks the scan exhausted). */
        public KeyValue next() {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("range scan is closed");
                }
                KeyValue entry = null;
                if (pageSize <= 0 || returned < pageSize) {
                    entry = peek();
                    peeked = null;
                }
                if (entry == null) {
                    exhausted = true;
                    return null;
                }
                returned++;
                lastKey = entry.key();
                reads.add(KVRead.newBuilder().setKey(entry.key())
                        .setVersion(entry.value().version().toProto()).build());
                return entry;
            }
        }

        /**
         * For a paginated scan: the key the next page starts at (the first key not returned), or "" when none;
         * closes the scan. LevelDB's bookmark, as Fabric's {@code GetBookmarkAndClose}.
         */
        public String bookmarkAndClose() {
            synchronized (this) {
                KeyValue next = closed ? null : peek();
                close();
                return next == null ? "" : next.key();
            }
        }

        private KeyValue peek() {
            if (peeked == null && source.hasNext()) {
                peeked = source.next();
            }
            return peeked;
        }

        /** Closes the underlying iterator; what was read stays recorded. */
        public void close() {
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    if (source instanceof AutoCloseable closeable) {
                        try {
                            closeable.close();
                        } catch (Exception ignored) {
                            // nothing to do: the reads are recorded already
                        }
                    }
                }
            }
        }

        synchronized RangeQueryInfo info() {
            RangeQueryInfo.Builder info = RangeQueryInfo.newBuilder()
                    .setStartKey(startKey)
                    .setEndKey(exhausted ? endKey : lastKey == null ? "" : lastKey)
                    .setItrExhausted(exhausted);
            if (!reads.isEmpty()) {
                // Fabric sets raw reads only when there are some (a nil slice leaves the oneof unset)
                info.setRawReads(QueryReads.newBuilder().addAllKvReads(reads));
            }
            return info.build();
        }
    }
}
