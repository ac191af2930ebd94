package io.sandbox.core.fabric.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.block.ChainVerification.Check;
import io.sandbox.core.fabric.block.ChainVerification.Failure;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.Envelope;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {

    /** Builds {@code count} correctly chained blocks with two envelopes each. */
    static List<Block> chain(int count) {
        List<Block> blocks = new ArrayList<>();
        byte[] previous = new byte[0];
        for (int n = 0; n < count; n++) {
            BlockData.Builder data = BlockData.newBuilder();
            for (int t = 0; t < 2; t++) {
                data.addData(Envelope.newBuilder()
                        .setPayload(ByteString.copyFromUtf8("payload " + n + "/" + t))
                        .setSignature(ByteString.copyFromUtf8("sig " + n + "/" + t))
                        .build()
                        .toByteString());
            }
            BlockData built = data.build();
            BlockHeader header = BlockHeader.newBuilder()
                    .setNumber(n)
                    .setPreviousHash(ByteString.copyFrom(previous))
                    .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(built)))
                    .build();
            Block block = Block.newBuilder()
                    .setHeader(header)
                    .setData(built)
                    .setMetadata(BlockMetadata.newBuilder().addMetadata(ByteString.EMPTY))
                    .build();
            blocks.add(block);
            previous = BlockHashes.headerHash(header);
        }
        return blocks;
    }

    @Test
    void intactChainVerifies() {
        List<Block> blocks = chain(5);

        ChainVerification result = ChainVerifier.verify(blocks);

        assertThat(result.valid()).isTrue();
        assertThat(result.blocksVerified()).isEqualTo(5);
        assertThat(result.tip()).contains(ChainAnchor.of(blocks.get(4).getHeader()));
    }

    @Test
    void continuesFromAnAnchor() {
        List<Block> blocks = chain(6);
        ChainAnchor anchor = ChainAnchor.of(blocks.get(2).getHeader());

        assertThat(ChainVerifier.verify(anchor, blocks.subList(3, 6)).valid()).isTrue();
    }

    @Test
    void anchorWithWrongHashIsReportedOnTheFirstBlock() {
        List<Block> blocks = chain(4);
        ChainAnchor anchor = new ChainAnchor(1, new byte[32]);

        Failure failure = ChainVerifier.verify(anchor, blocks.subList(2, 4)).failure().orElseThrow();

        assertThat(failure.check()).isEqualTo(Check.PREVIOUS_HASH);
        assertThat(failure.blockNumber()).isEqualTo(2);
        assertThat(failure.position()).isZero();
        assertThat(failure.expected()).isEqualTo("00".repeat(32));
        assertThat(failure.actual()).isEqualTo(BlockHashes.hex(BlockHashes.headerHash(blocks.get(1).getHeader())));
    }

    @Test
    void flippingAnyByteOfDataFailsTheDataHashOfThatBlock() {
        List<Block> blocks = chain(4);
        Block target = blocks.get(2);
        byte[] entry = target.getData().getData(1).toByteArray();
        for (int i = 0; i < entry.length; i++) {
            byte[] tampered = entry.clone();
            tampered[i] ^= 0x01;
            List<Block> copy = new ArrayList<>(blocks);
            copy.set(2, target.toBuilder()
                    .setData(target.getData().toBuilder().setData(1, ByteString.copyFrom(tampered)))
                    .build());

            ChainVerification result = ChainVerifier.verify(copy);

            Failure failure = result.failure().orElseThrow();
            assertThat(failure.check()).isEqualTo(Check.DATA_HASH);
            assertThat(failure.blockNumber()).isEqualTo(2);
            assertThat(failure.actual()).isEqualTo(BlockHashes.hex(target.getHeader().getDataHash().toByteArray()));
            assertThat(failure.expected()).isNotEqualTo(failure.actual()).hasSize(64);
            assertThat(result.blocksVerified()).isEqualTo(2);
            assertThat(result.tip()).contains(ChainAnchor.of(blocks.get(1).getHeader()));
        }
    }

    @Test
    void rewritingDataAndDataHashBreaksTheNextBlocksPreviousHash() {
        List<Block> blocks = new ArrayList<>(chain(4));
        Block target = blocks.get(1);
        BlockData forged = target.getData().toBuilder().setData(0, ByteString.copyFromUtf8("forged")).build();
        blocks.set(1, target.toBuilder()
                .setData(forged)
                .setHeader(target.getHeader().toBuilder().setDataHash(ByteString.copyFrom(BlockHashes.dataHash(forged))))
                .build());

        Failure failure = ChainVerifier.verify(blocks).failure().orElseThrow();

        assertThat(failure.check()).isEqualTo(Check.PREVIOUS_HASH);
        assertThat(failure.blockNumber()).isEqualTo(2);
        assertThat(failure.expected()).isEqualTo(BlockHashes.hex(BlockHashes.headerHash(blocks.get(1).getHeader())));
        assertThat(failure.actual()).isEqualTo(BlockHashes.hex(BlockHashes.headerHash(target.getHeader())));
        assertThat(failure.message()).contains("block 2", "PREVIOUS_HASH", failure.expected(), failure.actual());
    }

    @Test
    void reorderingFailsOnNumber() {
        List<Block> blocks = new ArrayList<>(chain(5));
        Block two = blocks.get(2);
        blocks.set(2, blocks.get(3));
        blocks.set(3, two);

        Failure failure = ChainVerifier.verify(blocks).failure().orElseThrow();

        assertThat(failure.check()).isEqualTo(Check.NUMBER);
        assertThat(failure.position()).isEqualTo(2);
        assertThat(failure.blockNumber()).isEqualTo(3);
        assertThat(failure.expected()).isEqualTo("2");
        assertThat(failure.actual()).isEqualTo("3");
    }

    @Test
    void removingABlockFailsOnNumber() {
        List<Block> blocks = new ArrayList<>(chain(5));
        blocks.remove(3);

        Failure failure = ChainVerifier.verify(blocks).failure().orElseThrow();

        assertThat(failure.check()).isEqualTo(Check.NUMBER);
        assertThat(failure.blockNumber()).isEqualTo(4);
        assertThat(failure.expected()).isEqualTo("3");
    }

    @Test
    void removingABlockAndRenumberingFailsOnPreviousHash() {
        List<Block> blocks = new ArrayList<>(chain(5));
        blocks.remove(3);
        Block last = blocks.get(3);
        blocks.set(3, last.toBuilder().setHeader(last.getHeader().toBuilder().setNumber(3)).build());

        Failure failure = ChainVerifier.verify(blocks).failure().orElseThrow();

        assertThat(failure.check()).isEqualTo(Check.PREVIOUS_HASH);
        assertThat(failure.blockNumber()).isEqualTo(3);
    }

    @Test
    void blockWithoutHeaderIsReported() {
        List<Block> blocks = new ArrayList<>(chain(3));
        blocks.set(1, blocks.get(1).toBuilder().clearHeader().build());

        Failure failure = ChainVerifier.verify(blocks).failure().orElseThrow();

        assertThat(failure.check()).isEqualTo(Check.MISSING_HEADER);
        assertThat(failure.position()).isEqualTo(1);
        assertThat(failure.expected()).isEqualTo("1");
    }

    @Test
    void emptyInputIsValidAndKeepsTheAnchor() {
        ChainAnchor anchor = new ChainAnchor(9, new byte[32]);

        ChainVerification result = ChainVerifier.verify(anchor, List.of());

        assertThat(result.valid()).isTrue();
        assertThat(result.tip()).contains(anchor);
    }
}
