package io.sandbox.devnet.deliver;

import io.sandbox.devnet.ledger.LedgerException;
import java.time.Duration;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;

/** The blocks of one channel as a Deliver request reads them. */
public interface BlockSource {

    /** The number of stored blocks: resolves NEWEST and decides FAIL_IF_NOT_READY. */
    long height();

    /**
     * The height up to which blocks may be served; a request waits until it passes the next block. Defaults to
     * {@link #height()}; a peer answers its committed (state) height.
     */
    default long servableHeight() {
        return height();
    }

    /** Block {@code number}, below {@link #height()}. */
    Block block(long number);

    /** The serialisation of block {@code number} as stored (not to be modified); by default re-encoded. */
    default byte[] blockBytes(long number) {
        return block(number).toByteArray();
    }

    /**
     * Waits up to {@code timeout} for {@link #servableHeight()} to reach {@code minHeight}.
     *
     * @throws LedgerException when the source is (or gets) closed
     */
    void awaitHeight(long minHeight, Duration timeout) throws InterruptedException;

    /** The status a request ends with when reading failed with {@code failure}. */
    default Status unavailable(LedgerException failure) {
        return Status.SERVICE_UNAVAILABLE;
    }
}
