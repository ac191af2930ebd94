package io.sandbox.devnet.chaincode;

/**
 * The version of a committed state entry: the height (block number, transaction number within the block) of the
 * transaction that last wrote it, as Fabric's {@code version.Height} and the {@code kvrwset.Version} proto.
 */
public record Version(long blockNum, long txNum) implements Comparable<Version> {

    public Version {
        if (blockNum < 0 || txNum < 0) {
            throw new IllegalArgumentException("version must not be negative: " + blockNum + ":" + txNum);
        }
    }

    /** As the rwset proto carries it. */
    public org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version toProto() {
        return org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version.newBuilder()
                .setBlockNum(blockNum).setTxNum(txNum).build();
    }

    @Override
    public int compareTo(Version other) {
        int byBlock = Long.compareUnsigned(blockNum, other.blockNum);
        return byBlock != 0 ? byBlock : Long.compareUnsigned(txNum, other.txNum);
    }

    @Override
    public String toString() {
        return blockNum + ":" + txNum;
    }
}
