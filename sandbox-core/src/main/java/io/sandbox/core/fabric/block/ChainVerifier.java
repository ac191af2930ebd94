package io.sandbox.core.fabric.block;

import io.sandbox.core.fabric.block.ChainVerification.Check;
import io.sandbox.core.fabric.block.ChainVerification.Failure;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Verifies the hash chain of a sequence of Fabric blocks, the way a peer links blocks: each block's number
 * is its predecessor's plus one, its {@code data_hash} is {@link BlockHashes#dataHash} of its data, and its
 * {@code previous_hash} is {@link BlockHashes#headerHash} of its predecessor's header. The first block is
 * linked to the optional anchor; without an anchor its number and previous hash are taken as given.
 *
 * <p>This checks integrity and order only; it does not check orderer signatures in block metadata (which
 * needs the channel's BlockValidation policy) nor transaction validity. Checks run per block in the order
 * number, data hash, previous hash, and verification stops at the first failure.
 */
public final class ChainVerifier {

    private ChainVerifier() {}

    public static ChainVerification verify(List<Block> blocks) {
        return verify(null, blocks);
    }

    /**
     * @param anchor the last trusted block before {@code blocks}, or {@code null}
     * @param blocks consecutive blocks, lowest number first
     */
    public static ChainVerification verify(ChainAnchor anchor, List<Block> blocks) {
        Objects.requireNonNull(blocks, "blocks");
        ChainAnchor previous = anchor;
        int verified = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            Optional<Failure> failure = check(i, previous, block);
            if (failure.isPresent()) {
                return new ChainVerification(verified, Optional.ofNullable(previous), failure);
            }
            previous = ChainAnchor.of(block.getHeader());
            verified++;
        }
        return new ChainVerification(verified, Optional.ofNullable(previous), Optional.empty());
    }

    private static Optional<Failure> check(int position, ChainAnchor previous, Block block) {
        if (block == null || !block.hasHeader()) {
            String expected = previous == null ? "" : Long.toUnsignedString(previous.number() + 1);
            return Optional.of(new Failure(position, -1L, Check.MISSING_HEADER, expected, ""));
        }
        BlockHeader header = block.getHeader();
        long number = header.getNumber();
        if (previous != null && number != previous.number() + 1) {
            return Optional.of(new Failure(position, number, Check.NUMBER,
                    Long.toUnsignedString(previous.number() + 1), Long.toUnsignedString(number)));
        }
        byte[] computedDataHash = BlockHashes.dataHash(block.getData());
        byte[] claimedDataHash = header.getDataHash().toByteArray();
        if (!Arrays.equals(computedDataHash, claimedDataHash)) {
            return Optional.of(new Failure(position, number, Check.DATA_HASH,
                    BlockHashes.hex(computedDataHash), BlockHashes.hex(claimedDataHash)));
        }
        if (previous != null) {
            byte[] expectedPrevious = previous.headerHash();
            byte[] claimedPrevious = header.getPreviousHash().toByteArray();
            if (!Arrays.equals(expectedPrevious, claimedPrevious)) {
                return Optional.of(new Failure(position, number, Check.PREVIOUS_HASH,
                        BlockHashes.hex(expectedPrevious), BlockHashes.hex(claimedPrevious)));
            }
        }
        return Optional.empty();
    }
}
