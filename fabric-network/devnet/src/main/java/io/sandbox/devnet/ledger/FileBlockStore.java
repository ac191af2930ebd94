package io.sandbox.devnet.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.block.BlockHashes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import org.hyperledger.fabric.protos.common.Block;

/** {@link BlockStore} over {@code blocks.dat} and {@code blocks.idx}; format described on the interface. */
final class FileBlockStore implements BlockStore {

    private static final Logger LOG = Logger.getLogger(FileBlockStore.class.getName());

    static final String DATA_FILE = "blocks.dat";
    static final String INDEX_FILE = "blocks.idx";
    static final byte[] MAGIC = "SBXBLK01".getBytes(StandardCharsets.US_ASCII);
    static final int RECORD_HEADER = 8;
    /** Larger than any block an orderer accepts (AbsoluteMaxBytes is a uint32, Fabric's gRPC cap 100 MiB). */
    static final int MAX_RECORD = Integer.MAX_VALUE - 64;

    private final Path directory;
    private final FileChannel data;
    private final FileChannel index;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();

    // guarded by lock
    private long[] offsets;
    private volatile long height;
    private long dataEnd;
    private Block last;
    private byte[] lastBytes;
    private volatile boolean closed;

    private FileBlockStore(Path directory, FileChannel data, FileChannel index) {
        this.directory = directory;
        this.data = data;
        this.index = index;
    }

    static FileBlockStore open(Path directory) {
        FileChannel data = null;
        FileChannel index = null;
        try {
            Files.createDirectories(directory);
            data = FileChannel.open(directory.resolve(DATA_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            index = FileChannel.open(directory.resolve(INDEX_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileBlockStore store = new FileBlockStore(directory, data, index);
            store.recover();
            return store;
        } catch (IOException | RuntimeException e) {
            closeQuietly(data);
            closeQuietly(index);
            if (e instanceof LedgerException le) {
                throw le;
            }
            throw new LedgerException("cannot open block store in " + directory + ": " + e.getMessage(), e);
        }
    }

    private void recover() throws IOException {
        long dataSize = data.size();
        if (dataSize < MAGIC.length) {
            // new store, or a crash while writing the magic: start afresh
            data.truncate(0);
            writeFully(data, ByteBuffer.wrap(MAGIC), 0);
            data.force(true);
            index.truncate(0);
            dataSize = MAGIC.length;
        } else {
            ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
            readFully(data, magic, 0);
            if (!Arrays.equals(magic.array(), MAGIC)) {
                throw new LedgerException(directory.resolve(DATA_FILE) + " is not a block file (bad magic)");
            }
        }

        // 1. consistent prefix of the index
        long entries = index.size() / Long.BYTES;
        ByteBuffer indexBytes = ByteBuffer.allocate((int) Math.min(entries * Long.BYTES, Integer.MAX_VALUE - 8));
        readFully(index, indexBytes, 0);
        indexBytes.flip();
        long[] trusted = new long[(int) Math.max(16, entries)];
        int count = 0;
        long previous = -1;
        while (indexBytes.remaining() >= Long.BYTES) {
            long offset = indexBytes.getLong();
            boolean plausible = count == 0 ? offset == MAGIC.length : offset > previous;
            if (!plausible || offset + RECORD_HEADER > dataSize) {
                break;
            }
            trusted[count++] = offset;
            previous = offset;
        }

        // 2. re-read from the last indexed record on (it may be torn), then scan for unindexed records
        offsets = trusted;
        height = 0;
        long position = MAGIC.length;
        int keep = Math.max(0, count - 1);
        if (keep > 0) {
            height = keep;
            position = trusted[keep - 1];
            Record record = readRecord(position, dataSize);
            if (record == null) {
                // an earlier indexed record is unreadable: distrust the index completely and rescan
                height = 0;
                position = MAGIC.length;
            } else {
                last = parse(record, keep - 1);
                lastBytes = record.payload();
                position = record.end();
                if (last == null) {
                    height = 0;
                    position = MAGIC.length;
                }
            }
        }
        while (true) {
            Record record = readRecord(position, dataSize);
            if (record == null) {
                break;
            }
            Block block = parse(record, height);
            if (block == null || (height > 0 && !extendsChain(last, block))) {
                break;
            }
            ensureCapacity();
            offsets[(int) height] = position;
            height++;
            last = block;
            lastBytes = record.payload();
            position = record.end();
        }
        if (position < dataSize) {
            LOG.log(Level.WARNING, "{0}: truncating {1} bytes of torn or corrupt data after block {2}",
                    new Object[] {directory, dataSize - position, height - 1});
            data.truncate(position);
            data.force(true);
        }
        dataEnd = position;

        // 3. rewrite the index if it differs from what was recovered
        if (count != height || index.size() != height * Long.BYTES) {
            ByteBuffer rewritten = ByteBuffer.allocate((int) (height * Long.BYTES));
            for (int i = 0; i < height; i++) {
                rewritten.putLong(offsets[i]);
            }
            rewritten.flip();
            index.truncate(0);
            writeFully(index, rewritten, 0);
            index.force(true);
        }
    }

    private record Record(long offset, byte[] payload) {
        long end() {
            return offset + RECORD_HEADER + payload.length;
        }
    }

    /** The record at {@code offset}, or null if it is incomplete or fails its CRC. */
    private Record readRecord(long offset, long dataSize) throws IOException {
        if (offset + RECORD_HEADER > dataSize) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
        readFully(data, header, offset);
        header.flip();
        int length = header.getInt();
        int crc = header.getInt();
        if (length < 0 || length > MAX_RECORD || offset + RECORD_HEADER + length > dataSize) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(data, payload, offset + RECORD_HEADER);
        if (crc32c(payload.array()) != crc) {
            return null;
        }
        return new Record(offset, payload.array());
    }

    private static Block parse(Record record, long expectedNumber) {
        try {
            Block block = Block.parseFrom(record.payload());
            return block.hasHeader() && block.getHeader().getNumber() == expectedNumber ? block : null;
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private static boolean extendsChain(Block previous, Block next) {
        return Arrays.equals(BlockHashes.headerHash(previous.getHeader()), next.getHeader().getPreviousHash().toByteArray());
    }

    private void ensureCapacity() {
        if (height >= offsets.length) {
            offsets = Arrays.copyOf(offsets, Math.max(16, offsets.length * 2));
        }
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public long height() {
        return height;
    }

    @Override
    public void append(Block block) {
        if (block == null || !block.hasHeader()) {
            throw new LedgerException("block has no header");
        }
        lock.lock();
        try {
            checkOpen();
            long number = block.getHeader().getNumber();
            if (number != height) {
                throw new LedgerException("block number should have been " + height + " but was " + Long.toUnsignedString(number));
            }
            if (!Arrays.equals(BlockHashes.dataHash(block.getData()), block.getHeader().getDataHash().toByteArray())) {
                throw new LedgerException("block " + number + ": data hash does not match the block data");
            }
            if (height > 0 && !extendsChain(last, block)) {
                throw new LedgerException("unexpected previous block hash in block " + number + ": expected "
                        + BlockHashes.hex(BlockHashes.headerHash(last.getHeader())) + ", got "
                        + BlockHashes.hex(block.getHeader().getPreviousHash().toByteArray()));
            }
            byte[] bytes = block.toByteArray();
            ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER + bytes.length);
            record.putInt(bytes.length).putInt(crc32c(bytes)).put(bytes).flip();
            long offset = dataEnd;
            try {
                writeFully(data, record, offset);
                data.force(false);
            } catch (IOException e) {
                // leave the file as it was so that the next append starts at a record boundary
                try {
                    data.truncate(offset);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new LedgerException("cannot write block " + number + " to " + directory + ": " + e.getMessage(), e);
            }
            try {
                writeFully(index, ByteBuffer.allocate(Long.BYTES).putLong(0, offset), number * Long.BYTES);
            } catch (IOException e) {
                // the data is durable; the index is rebuilt on the next open
                LOG.log(Level.WARNING, directory + ": cannot write index entry for block " + number, e);
            }
            ensureCapacity();
            offsets[(int) number] = offset;
            dataEnd = offset + record.limit();
            last = block;
            lastBytes = bytes;
            height = number + 1;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Block block(long number) {
        lock.lock();
        try {
            checkOpen();
            checkExists(number);
            if (number == height - 1) {
                return last;
            }
        } finally {
            lock.unlock();
        }
        try {
            return Block.parseFrom(blockBytes(number));
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerException("block " + number + " in " + directory + " is corrupt", e);
        }
    }

    @Override
    public byte[] blockBytes(long number) {
        long offset;
        long end;
        lock.lock();
        try {
            checkOpen();
            checkExists(number);
            if (number == height - 1) {
                return lastBytes;
            }
            offset = offsets[(int) number];
            end = offsets[(int) number + 1];
        } finally {
            lock.unlock();
        }
        try {
            // the record ends where the next begins: its payload is read straight into the returned array
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
            readFully(data, header, offset);
            byte[] bytes = new byte[(int) (end - offset - RECORD_HEADER)];
            readFully(data, ByteBuffer.wrap(bytes), offset + RECORD_HEADER);
            if (header.getInt(0) != bytes.length || crc32c(bytes) != header.getInt(Integer.BYTES)) {
                throw new LedgerException("block " + number + " in " + directory + " is corrupt");
            }
            return bytes;
        } catch (IOException e) {
            if (closed) {
                throw new LedgerException("block store " + directory + " is closed");
            }
            throw new LedgerException("cannot read block " + number + " from " + directory + ": " + e.getMessage(), e);
        }
    }

    private void checkExists(long number) {
        if (number < 0 || number >= height) {
            throw new LedgerException("block " + Long.toUnsignedString(number) + " does not exist (height " + height + ")");
        }
    }

    @Override
    public Block lastBlock() {
        lock.lock();
        try {
            checkOpen();
            if (last == null) {
                throw new LedgerException("block store " + directory + " is empty");
            }
            return last;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long awaitHeight(long minHeight, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                checkOpen();
                if (height >= minHeight || nanos <= 0) {
                    return height;
                }
                nanos = grown.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
        closeQuietly(data);
        closeQuietly(index);
    }

    private void checkOpen() {
        if (closed) {
            throw new LedgerException("block store " + directory + " is closed");
        }
    }

    static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + pos);
            }
            pos += n;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            pos += channel.write(buffer, pos);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing a block file failed", e);
            }
        }
    }
}
