package io.sandbox.devnet.peer.state;

import java.util.Objects;

/**
 * One result of a range query.
 *
 * @param key   the key
 * @param value its committed value, metadata and version
 */
public record KeyValue(String key, VersionedValue value) {

    /** Checks for nulls. */
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
