package io.sandbox.devnet.chaincode;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A committed state entry of the public (non-private) world state.
 *
 * @param value    the value, never empty (Fabric stores a write of an empty value as a delete)
 * @param metadata the key's metadata entries (Fabric uses {@code VALIDATION_PARAMETER} for key-level endorsement
 *                 policies), empty when the key has none
 * @param version  the height of the transaction that last wrote the key or its metadata
 */
public record VersionedValue(byte[] value, Map<String, byte[]> metadata, Version version) {

    public VersionedValue {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** A value without metadata. */
    public static VersionedValue of(byte[] value, Version version) {
        return new VersionedValue(value, Map.of(), version);
    }
}
