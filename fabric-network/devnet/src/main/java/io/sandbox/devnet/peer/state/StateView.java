package io.sandbox.devnet.peer.state;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read access to committed state. */
public interface StateView {

    /** The committed value of a key, if it exists. */
    Optional<VersionedValue> get(String namespace, String key);

    /** The committed version of a key, or empty when it does not exist. */
    default Optional<Version> version(String namespace, String key) {
        return get(namespace, key).map(VersionedValue::version);
    }

    /** The key's metadata, empty when the key or its metadata does not exist. */
    default Map<String, ByteString> metadata(String namespace, String key) {
        return get(namespace, key).map(VersionedValue::metadata).orElse(Map.of());
    }

    /**
     * The keys in {@code [startKey, endKey)} in UTF-8 byte order ({@link KeyOrder}), as
     * {@code GetStateRangeScanIterator}: start inclusive, end exclusive, an empty start or end is open.
     */
    List<KeyValue> range(String namespace, String startKey, String endKey);
}
