package io.sandbox.core.fabric.block;

import java.util.Arrays;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * A trusted point to extend a chain from: the number and header hash of the last block already verified
 * (for example the last ingested block, or a checkpoint recorded in evidence).
 *
 * @param number block number, unsigned 64-bit
 * @param headerHash {@link BlockHashes#headerHash(BlockHeader)} of that block
 */
public record ChainAnchor(long number, byte[] headerHash) {

    public ChainAnchor {
        Objects.requireNonNull(headerHash, "headerHash");
        headerHash = headerHash.clone();
    }

    public static ChainAnchor of(BlockHeader header) {
        return new ChainAnchor(header.getNumber(), BlockHashes.headerHash(header));
    }

    @Override
    public byte[] headerHash() {
        return headerHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainAnchor other && number == other.number && Arrays.equals(headerHash, other.headerHash);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(number) + Arrays.hashCode(headerHash);
    }

    @Override
    public String toString() {
        return "ChainAnchor[number=" + Long.toUnsignedString(number) + ", headerHash=" + BlockHashes.hex(headerHash) + "]";
    }
}
