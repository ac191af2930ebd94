package io.sandbox.devnet.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.block.ChainVerifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockStoreTest {

    @TempDir
    Path dir;

    static Block block(long number, Block previous, String... entries) {
        BlockData.Builder data = BlockData.newBuilder();
        for (String e : entries) {
            data.addData(ByteString.copyFromUtf8(e));
        }
        BlockData d = data.build();
        byte[] prev = previous == null ? new byte[0] : BlockHashes.headerHash(previous.getHeader());
        return Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(number).setPreviousHash(ByteString.copyFrom(prev))
                        .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(d))))
                .setData(d)
                .setMetadata(BlockMetadata.newBuilder().addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY))
                .build();
    }

    static List<Block> chain(int n) {
        List<Block> blocks = new ArrayList<>();
        Block prev = null;
        for (int i = 0; i < n; i++) {
            prev = block(i, prev, "tx-" + i + "-a", "tx-" + i + "-b");
            blocks.add(prev);
        }
        return blocks;
    }

    @Test
    void appendsReadsAndRestarts() {
        List<Block> blocks = chain(5);
        try (BlockStore store = BlockStore.open(dir)) {
            assertThat(store.height()).isZero();
            assertThatThrownBy(store::lastBlock).isInstanceOf(LedgerException.class);
            blocks.forEach(store::append);
            assertThat(store.height()).isEqualTo(5);
            assertThat(store.block(2)).isEqualTo(blocks.get(2));
            assertThat(store.lastBlock()).isEqualTo(blocks.get(4));
            assertThatThrownBy(() -> store.block(5)).isInstanceOf(LedgerException.class);
        }
        try (BlockStore store = BlockStore.open(dir)) {
            assertThat(store.height()).isEqualTo(5);
            List<Block> read = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                read.add(store.block(i));
            }
            assertThat(read).isEqualTo(blocks);
            assertThat(ChainVerifier.verify(read).valid()).isTrue();
            Block next = block(5, blocks.get(4), "more");
            store.append(next);
            assertThat(store.lastBlock()).isEqualTo(next);
        }
    }

    @Test
    void servesTheStoredBytesAndNoticesACorruptRecord() throws IOException {
        List<Block> blocks = chain(4);
        try (BlockStore store = BlockStore.open(dir)) {
            blocks.forEach(store::append);
            for (int i = 0; i < 4; i++) {
                assertThat(store.blockBytes(i)).isEqualTo(blocks.get(i).toByteArray());
            }
            assertThatThrownBy(() -> store.blockBytes(4)).isInstanceOf(LedgerException.class);
        }
        // flip the last byte of block 1's record (a block the recovery does not re-read)
        try (BlockStore store = BlockStore.open(dir)) {
            for (int i = 0; i < 4; i++) {
                assertThat(store.blockBytes(i)).isEqualTo(blocks.get(i).toByteArray());
            }
        }
        long recordEnd = FileBlockStore.MAGIC.length + 2L * FileBlockStore.RECORD_HEADER
                + blocks.get(0).getSerializedSize() + blocks.get(1).getSerializedSize();
        try (FileChannel data = FileChannel.open(dir.resolve(FileBlockStore.DATA_FILE), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            data.read(last, recordEnd - 1);
            data.write(ByteBuffer.wrap(new byte[] {(byte) (last.get(0) ^ 1)}), recordEnd - 1);
        }
        try (BlockStore store = BlockStore.open(dir)) {
            assertThat(store.height()).isEqualTo(4);
            assertThatThrownBy(() -> store.blockBytes(1)).isInstanceOf(LedgerException.class).hasMessageContaining("corrupt");
            assertThatThrownBy(() -> store.block(1)).isInstanceOf(LedgerException.class).hasMessageContaining("corrupt");
            assertThat(store.blockBytes(2)).isEqualTo(blocks.get(2).toByteArray());
        }
    }

    @Test
    void refusesBlocksThatDoNotExtendTheChain() {
        List<Block> blocks = chain(3);
        try (BlockStore store = BlockStore.open(dir)) {
            store.append(blocks.get(0));
            assertThatThrownBy(() -> store.append(blocks.get(2)))
                    .isInstanceOf(LedgerException.class).hasMessageContaining("should have been 1");
            Block wrongPrev = block(1, blocks.get(1), "x");
            assertThatThrownBy(() -> store.append(wrongPrev))
                    .isInstanceOf(LedgerException.class).hasMessageContaining("previous block hash");
            Block badData = blocks.get(1).toBuilder().setData(BlockData.newBuilder().addData(ByteString.copyFromUtf8("evil"))).build();
            assertThatThrownBy(() -> store.append(badData))
                    .isInstanceOf(LedgerException.class).hasMessageContaining("data hash");
            store.append(blocks.get(1));
            assertThat(store.height()).isEqualTo(2);
        }
    }

    @Test
    void recoversFromTornTailAndGarbage() throws IOException {
        List<Block> blocks = chain(4);
        try (BlockStore store = BlockStore.open(dir)) {
            blocks.subList(0, 3).forEach(store::append);
        }
        Path data = dir.resolve(FileBlockStore.DATA_FILE);
        long whole = Files.size(data);
        // a partial record: the first half of block 3's record
        byte[] b3 = blocks.get(3).toByteArray();
        ByteBuffer rec = ByteBuffer.allocate(8 + b3.length).putInt(b3.length).putInt(FileBlockStore.crc32c(b3)).put(b3);
        Files.write(data, java.util.Arrays.copyOf(rec.array(), rec.capacity() / 2), StandardOpenOption.APPEND);
        try (BlockStore store = BlockStore.open(dir)) {
            assertThat(store.height()).isEqualTo(3);
            assertThat(Files.size(data)).isEqualTo(whole);
            store.append(blocks.get(3));
            assertThat(store.height()).isEqualTo(4);
        }
        long four = Files.size(data);
        // garbage after the last record, and an index entry that points into it
        Files.write(data, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, StandardOpenOption.APPEND);
        Files.write(dir.resolve(FileBlockStore.INDEX_FILE), ByteBuffer.allocate(8).putLong(0, four).array(), StandardOpenOption.APPEND);
        try (BlockStore store = BlockStore.open(dir)) {
            assertThat(store.height()).isEqualTo(4);
            assertThat(Files.size(data)).isEqualTo(four);
            assertThat(Files.size(dir.resolve(FileBlockStore.INDEX_FILE))).isEqualTo(32);
            assertThat(store.block(3)).isEqualTo(blocks.get(3));
        }
        // a flipped byte inside the last record: its CRC fails, recovery drops it
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xff}), four - 3);
        }
        try (BlockStore store = BlockStore.open(dir)) {
            assertThat(store.height()).isEqualTo(3);
            assertThat(store.lastBlock()).isEqualTo(blocks.get(2));
        }
    }

    @Test
    void rebuildsALostIndex() throws IOException {
        List<Block> blocks = chain(3);
        try (BlockStore store = BlockStore.open(dir)) {
            blocks.forEach(store::append);
        }
        Files.write(dir.resolve(FileBlockStore.INDEX_FILE), new byte[5]);
        try (BlockStore store = BlockStore.open(dir)) {
            assertThat(store.height()).isEqualTo(3);
            assertThat(store.block(1)).isEqualTo(blocks.get(1));
        }
    }

    @Test
    void readersWaitForNewBlocks() throws Exception {
        List<Block> blocks = chain(2);
        try (BlockStore store = BlockStore.open(dir)) {
            store.append(blocks.get(0));
            assertThat(store.awaitHeight(2, Duration.ofMillis(20))).isEqualTo(1);
            CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return store.awaitHeight(2, Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            store.append(blocks.get(1));
            assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo(2);

            CompletableFuture<Long> closedWaiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return store.awaitHeight(3, Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            store.close();
            assertThatThrownBy(() -> closedWaiter.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(LedgerException.class);
        }
    }
}
