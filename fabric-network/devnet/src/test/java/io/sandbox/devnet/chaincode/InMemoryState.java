package io.sandbox.devnet.chaincode;

import io.sandbox.devnet.peer.state.KeyModification;
import io.sandbox.devnet.peer.state.KeyOrder;
import io.sandbox.devnet.peer.state.KeyValue;
import io.sandbox.devnet.peer.state.Version;
import io.sandbox.devnet.peer.state.VersionedValue;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/** A test {@link VersionedState}: committed entries per namespace, with history; applies rwsets (no MVCC). */
class InMemoryState implements VersionedState {

    private final Map<String, NavigableMap<String, VersionedValue>> data = new ConcurrentHashMap<>();
    private final Map<String, List<KeyModification>> history = new HashMap<>();

    synchronized InMemoryState put(String ns, String key, byte[] value, Version version) {
        data.computeIfAbsent(ns, n -> new TreeMap<>(KeyOrder.UTF8)).put(key, new VersionedValue(ByteString.copyFrom(value), Map.of(), version));
        return this;
    }

    synchronized void addHistory(String ns, String key, KeyModification entry) {
        history.computeIfAbsent(ns + "\u0000" + key, k -> new ArrayList<>()).add(0, entry);
    }

    /** Commits the writes of {@code rwset} at {@code version}, as the committer would after validation. */
    synchronized void apply(TxReadWriteSet rwset, Version version, String txId) throws Exception {
        for (NsReadWriteSet ns : rwset.getNsRwsetList()) {
            KVRWSet kv = KVRWSet.parseFrom(ns.getRwset());
            NavigableMap<String, VersionedValue> map =
                    data.computeIfAbsent(ns.getNamespace(), n -> new TreeMap<>(KeyOrder.UTF8));
            for (KVWrite write : kv.getWritesList()) {
                if (write.getIsDelete()) {
                    map.remove(write.getKey());
                } else {
                    map.put(write.getKey(), new VersionedValue(write.getValue(), Map.of(), version));
                }
                addHistory(ns.getNamespace(), write.getKey(), new KeyModification(txId, write.getValue(),
                        Instant.ofEpochSecond(1_700_000_000L + version.blockNum()), write.getIsDelete(), version));
            }
            for (KVMetadataWrite write : kv.getMetadataWritesList()) {
                VersionedValue old = map.get(write.getKey());
                if (old != null) {
                    Map<String, ByteString> metadata = new TreeMap<>();
                    for (KVMetadataEntry e : write.getEntriesList()) {
                        metadata.put(e.getName(), e.getValue());
                    }
                    map.put(write.getKey(), new VersionedValue(old.value(), metadata, version));
                }
            }
        }
    }

    @Override
    public synchronized Optional<VersionedValue> get(String namespace, String key) {
        NavigableMap<String, VersionedValue> map = data.get(namespace);
        return Optional.ofNullable(map == null ? null : map.get(key));
    }

    @Override
    public synchronized Iterator<KeyValue> range(String namespace, String startKey, String endKey) {
        NavigableMap<String, VersionedValue> map = data.getOrDefault(namespace, new TreeMap<>(KeyOrder.UTF8));
        List<KeyValue> entries = new ArrayList<>();
        map.forEach((k, v) -> {
            if (KeyOrder.inRange(k, startKey, endKey)) {
                entries.add(new KeyValue(k, v));
            }
        });
        return entries.iterator();
    }

    @Override
    public synchronized Iterator<KeyModification> history(String namespace, String key) {
        return List.copyOf(history.getOrDefault(namespace + "\u0000" + key, List.of())).iterator();
    }
}
