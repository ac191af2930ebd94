package io.sandbox.devnet.peer.state;

import java.util.Comparator;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;

/**
 * The version of a committed key: the block and the transaction's index in it that last wrote the key, as
 * Fabric's {@code version.Height} ({@code core/ledger/internal/version}).
 *
 * @param blockNum the block number
 * @param txNum    the transaction's index within the block
 */
public record Version(long blockNum, long txNum) implements Comparable<Version> {

    private static final Comparator<Version> ORDER =
            Comparator.comparingLong(Version::blockNum).thenComparingLong(Version::txNum);

    /** Checks that both numbers are non-negative. */
    public Version {
        if (blockNum < 0 || txNum < 0) {
            throw new IllegalArgumentException("negative version " + blockNum + ":" + txNum);
        }
    }

    /** The version a {@code KVRead} carries, or {@code null} when it read a missing key (no version field). */
    public static Version ofRead(KVRead read) {
        return read.hasVersion() ? fromProto(read.getVersion()) : null;
    }

    /** From the rwset protobuf. */
    public static Version fromProto(org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version v) {
        return new Version(v.getBlockNum(), v.getTxNum());
    }

    /** To the rwset protobuf, as a simulator records a read. */
    public org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version toProto() {
        return org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version.newBuilder()
                .setBlockNum(blockNum).setTxNum(txNum).build();
    }

    @Override
    public int compareTo(Version other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return blockNum + ":" + txNum;
    }
}
