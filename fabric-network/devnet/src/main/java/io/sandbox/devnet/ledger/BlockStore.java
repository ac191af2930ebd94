package io.sandbox.devnet.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The append-only block store of one channel, kept in one directory.
 *
 * <h2>On disk</h2>
 * <ul>
 *   <li>{@code blocks.dat}: an 8-byte magic {@code SBXBLK01}, then one record per block:
 *       {@code int32 length | int32 CRC32C(block bytes) | block bytes} (big-endian), where the block bytes are
 *       the block's protobuf serialisation exactly as appended (re-serialisation is never needed to read back).
 *   <li>{@code blocks.idx}: one big-endian {@code int64} per block, the offset of its record in
 *       {@code blocks.dat}, so block {@code n} is found at index position {@code 8n}.
 * </ul>
 *
 * <h2>Durability and recovery</h2>
 * {@link #append} writes the record and forces {@code blocks.dat} to the device before it returns (one fsync
 * per block); the index entry is written afterwards without its own fsync, because the index is derived data.
 * On {@link #open}, the index's consistent prefix (strictly increasing offsets inside the data file) is kept,
 * every record from the last indexed one onwards is re-read and checked (length, CRC, parse, block number),
 * and the first torn or corrupt record and everything after it are truncated away, in both files. A crash at
 * any point therefore recovers to the last whole block that was appended.
 *
 * <h2>Appending</h2>
 * Only the next block is accepted: number equal to {@link #height()} and, after block 0,
 * {@code previous_hash} equal to the header hash ({@code BlockHashes.headerHash}) of {@link #lastBlock()} and
 * {@code data_hash} equal to the hash of its data. Block 0 may have any previous hash.
 *
 * <p>Implementations are thread-safe; readers may block in {@link #awaitHeight} until a block arrives.
 */
public interface BlockStore extends AutoCloseable {

    /** Opens (creating if needed) the store kept in {@code directory}, recovering a torn tail. */
    static BlockStore open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return FileBlockStore.open(directory);
    }

    /** The directory holding this store. */
    Path directory();

    /** Number of blocks stored: the next block's number. */
    long height();

    /**
     * Appends the next block durably.
     *
     * @throws LedgerException if the block does not extend the chain, or on I/O failure
     */
    void append(Block block);

    /**
     * Block {@code number}.
     *
     * @throws LedgerException if {@code number >= height()} or the record cannot be read
     */
    Block block(long number);

    /**
     * The bytes of block {@code number} exactly as appended (its protobuf serialisation, CRC-checked), for
     * senders that pass a block on without looking into it.
     *
     * @throws LedgerException if {@code number >= height()} or the record cannot be read
     */
    byte[] blockBytes(long number);

    /** The last block; throws {@link LedgerException} when the store is empty. */
    Block lastBlock();

    /**
     * Waits until {@code height() >= minHeight}, the timeout passes or the store is closed.
     *
     * @return the height when returning (compare with {@code minHeight} to see whether it was reached)
     * @throws LedgerException if the store is (or gets) closed
     */
    long awaitHeight(long minHeight, Duration timeout) throws InterruptedException;

    /** Whether {@link #close()} was called. */
    boolean isClosed();

    /** Closes the files and wakes every waiter with a {@link LedgerException}. */
    @Override
    void close();
}
