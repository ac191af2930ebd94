package io.sandbox.devnet.peer.state;

import com.google.protobuf.ByteString;
import java.util.Map;
import java.util.Objects;

/**
 * A committed value with its metadata and version ({@code statedb.VersionedValue}).
 *
 * @param value    the value bytes (never empty for a live key: Fabric treats an empty write as a delete)
 * @param metadata key metadata entries by name (e.g. {@code VALIDATION_PARAMETER}); empty when none
 * @param version  the block and transaction that last wrote the value or its metadata
 */
public record VersionedValue(ByteString value, Map<String, ByteString> metadata, Version version) {

    /** Checks for nulls; copies the metadata. */
    public VersionedValue {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
        metadata = Map.copyOf(metadata);
    }
}
