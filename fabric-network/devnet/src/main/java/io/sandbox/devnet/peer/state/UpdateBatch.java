package io.sandbox.devnet.peer.state;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/**
 * The state updates of the valid transactions of one block so far, over a committed {@link StateView}
 * ({@code privacyenabledstate.UpdateBatch} built by {@code txmgr}'s {@code txops}). Not thread-safe: one
 * validator or committer fills it.
 *
 * <p>Per transaction and key (Fabric's {@code txops.go}): a delete (flag or empty value) removes the value and
 * its metadata; a value write keeps the latest metadata unless the transaction also writes metadata; a
 * metadata-only write keeps the latest value and is ignored when the key does not exist. Every update is
 * versioned with the transaction's {@code (blockNum, txNum)}.
 */
public final class UpdateBatch {

    /** An update: the new value, or {@code null} for a delete. */
    public record Update(String key, VersionedValue value) {
        /** Whether the update deletes the key. */
        public boolean isDelete() {
            return value == null;
        }
    }

    private final StateView base;
    private final Map<String, TreeMap<String, Update>> updates = new HashMap<>();

    /** An empty batch over committed state. */
    public UpdateBatch(StateView base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    /** Whether a prior transaction of the block updated (wrote, deleted or re-versioned) the key. */
    public boolean exists(String namespace, String key) {
        TreeMap<String, Update> ns = updates.get(namespace);
        return ns != null && ns.containsKey(key);
    }

    /** The batch's update of a key, if any. */
    public Optional<Update> update(String namespace, String key) {
        TreeMap<String, Update> ns = updates.get(namespace);
        return ns == null ? Optional.empty() : Optional.ofNullable(ns.get(key));
    }

    /** The updated namespaces. */
    public Set<String> namespaces() {
        return Set.copyOf(updates.keySet());
    }

    /** The updates of a namespace in key order. */
    public NavigableMap<String, Update> updates(String namespace) {
        TreeMap<String, Update> ns = updates.get(namespace);
        return ns == null ? new TreeMap<>(KeyOrder.UTF8) : java.util.Collections.unmodifiableNavigableMap(ns);
    }

    /** The latest value of a key: this batch's, else the committed one. */
    public Optional<VersionedValue> latest(String namespace, String key) {
        Optional<Update> u = update(namespace, key);
        if (u.isPresent()) {
            return Optional.ofNullable(u.get().value());
        }
        return base.get(namespace, key);
    }

    /** Adds the writes of one valid transaction. */
    public void addTransaction(List<NsRwSet> rwSets, Version version) {
        for (NsRwSet ns : rwSets) {
            Map<String, KVWrite> writes = new LinkedHashMap<>();
            for (KVWrite w : ns.kvRwSet().getWritesList()) {
                writes.put(w.getKey(), w);
            }
            Map<String, Map<String, ByteString>> metadataWrites = new LinkedHashMap<>();
            for (KVMetadataWrite mw : ns.kvRwSet().getMetadataWritesList()) {
                Map<String, ByteString> entries = new HashMap<>();
                for (KVMetadataEntry e : mw.getEntriesList()) {
                    entries.put(e.getName(), e.getValue());
                }
                metadataWrites.put(mw.getKey(), entries);
            }
            String namespace = ns.namespace();
            for (KVWrite w : writes.values()) {
                String key = w.getKey();
                if (TxRwSets.isDelete(w)) {
                    put(namespace, new Update(key, null));
                } else {
                    Map<String, ByteString> metadata = metadataWrites.containsKey(key)
                            ? metadataWrites.get(key)
                            : latest(namespace, key).map(VersionedValue::metadata).orElse(Map.of());
                    put(namespace, new Update(key, new VersionedValue(w.getValue(), metadata, version)));
                }
            }
            for (Map.Entry<String, Map<String, ByteString>> mw : metadataWrites.entrySet()) {
                if (writes.containsKey(mw.getKey())) {
                    continue;
                }
                latest(namespace, mw.getKey()).ifPresent(current -> put(namespace,
                        new Update(mw.getKey(), new VersionedValue(current.value(), mw.getValue(), version))));
            }
        }
    }

    private void put(String namespace, Update update) {
        updates.computeIfAbsent(namespace, n -> new TreeMap<>(KeyOrder.UTF8)).put(update.key(), update);
    }
}
