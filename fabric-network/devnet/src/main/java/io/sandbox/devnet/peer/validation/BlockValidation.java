package io.sandbox.devnet.peer.validation;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The outcome of validating one block.
 *
 * @param blockNumber the block
 * @param codes       one code per transaction, in block order
 * @param reasons     one human-readable reason per transaction ({@code ""} when valid)
 * @param configValid whether the block holds a valid CONFIG transaction (the channel config changes)
 */
public record BlockValidation(long blockNumber, List<TxValidationCode> codes, List<String> reasons,
        boolean configValid) {

    /** Copies the lists. */
    public BlockValidation {
        codes = List.copyOf(codes);
        reasons = List.copyOf(reasons);
        if (codes.size() != reasons.size()) {
            throw new IllegalArgumentException("one reason per code");
        }
    }

    /** The code of transaction {@code txIndex}. */
    public TxValidationCode code(int txIndex) {
        return codes.get(txIndex);
    }

    /** The TRANSACTIONS_FILTER bytes: one code per transaction ({@code txflags.ValidationFlags}). */
    public byte[] filter() {
        byte[] filter = new byte[codes.size()];
        for (int i = 0; i < filter.length; i++) {
            filter[i] = (byte) codes.get(i).getNumber();
        }
        return filter;
    }

    /**
     * The block with its TRANSACTIONS_FILTER metadata set, the metadata list first padded to every
     * {@code BlockMetadataIndex} as {@code protoutil.InitBlockMetadata} does.
     */
    public Block applyTo(Block block) {
        Objects.requireNonNull(block, "block");
        if (block.getHeader().getNumber() != blockNumber || block.getData().getDataCount() != codes.size()) {
            throw new IllegalArgumentException("not the validated block");
        }
        BlockMetadata.Builder metadata = block.getMetadata().toBuilder();
        int slots = BlockMetadataIndex.values().length - 1; // without UNRECOGNIZED
        while (metadata.getMetadataCount() < slots) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE, ByteString.copyFrom(filter()));
        return block.toBuilder().setMetadata(metadata).build();
    }
}
