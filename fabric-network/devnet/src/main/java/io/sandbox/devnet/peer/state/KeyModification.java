package io.sandbox.devnet.peer.state;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.Objects;

/**
 * One committed change of a key, as {@code queryresult.KeyModification} returned by {@code GetHistoryForKey}.
 *
 * @param txId      the transaction that made it
 * @param value     the value written (empty for a delete)
 * @param timestamp the transaction's channel header timestamp
 * @param isDelete  whether the key was deleted
 * @param version   the block and transaction index of the change
 */
public record KeyModification(String txId, ByteString value, Instant timestamp, boolean isDelete, Version version) {

    /** Checks for nulls. */
    public KeyModification {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(version, "version");
    }
}
