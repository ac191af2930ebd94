package io.sandbox.dashboard.ingest.stream;

import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.dashboard.ingest.decode.BlockDecoder;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.store.Checkpoint;
import io.sandbox.dashboard.ingest.store.IngestResult;
import io.sandbox.dashboard.ingest.store.IngestStore;
import io.sandbox.dashboard.ingest.store.RunObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;
import org.jboss.logging.Logger;

/**
 * Ingests one channel: reads the regulator peer's block events from the checkpoint on, decodes them on a reader
 * thread and stores runs of blocks with the checkpoint on this one. On any failure it closes the stream, backs off
 * and resumes from the checkpoint in the database; an integrity failure stops it for good.
 */
final class ChannelWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(ChannelWorker.class);
    private static final int QUEUE = 256;

    /** What the worker is doing. */
    enum State { STARTING, STREAMING, BACKING_OFF, HALTED, STOPPED }

    private record Failure(Throwable cause) {
    }

    private final String channel;
    private final NetworkProfile profile;
    private final BlockDecoder decoder;
    private final IngestStore store;
    private final int maxBlocksPerCommit;
    private final Backoff backoff;
    private final Counter blocks;
    private final Counter transactions;
    private final Timer perBlock;
    private volatile boolean running = true;
    private volatile State state = State.STARTING;
    private volatile long peerHeight = -1;
    private volatile long ingestedHeight = -1;
    private volatile String lastError;
    private volatile Thread thread;

    ChannelWorker(String channel, NetworkProfile profile, BlockDecoder decoder, IngestStore store,
            int maxBlocksPerCommit, Duration backoffMin, Duration backoffMax, MeterRegistry registry,
            java.util.function.Consumer<List<DecodedBlock>> committed,
            java.util.function.Function<String, RunObserver> observers) {
        this.channel = channel;
        this.observers = observers;
        this.committed = committed;
        this.profile = profile;
        this.decoder = decoder;
        this.store = store;
        this.maxBlocksPerCommit = Math.max(1, maxBlocksPerCommit);
        this.backoff = new Backoff(backoffMin, backoffMax);
        this.blocks = registry.counter("sandbox.ingestion.blocks", "channel", channel);
        this.transactions = registry.counter("sandbox.ingestion.transactions", "channel", channel);
        this.perBlock = Timer.builder("sandbox.ingestion.block").description("Time to store one block")
                .tag("channel", channel).register(registry);
        Gauge.builder("sandbox.ingestion.lag", this, ChannelWorker::lag).description("Peer height minus ingested height")
                .tag("channel", channel).strongReference(true).register(registry);
    }

    /** Told of every run of blocks once it is committed (the live feed). */
    private final java.util.function.Consumer<List<DecodedBlock>> committed;
    /** Opens, per session, what evaluates the stored transactions (rules, alerts, risk), warmed from the store. */
    private final java.util.function.Function<String, RunObserver> observers;
    private RunObserver observer = RunObserver.NONE;

    void start() {
        thread = Thread.ofVirtual().name("ingest-" + channel).start(this);
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (session()) {
                    return;
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                if (running) {
                    LOG.warnf("ingestion of %s interrupted, resuming from the checkpoint: %s", channel, e.getMessage());
                }
            }
            if (!running) {
                break;
            }
            state = State.BACKING_OFF;
            try {
                Thread.sleep(backoff.next());
            } catch (InterruptedException e) {
                break;
            }
        }
        state = State.STOPPED;
    }

    /** One stream from the checkpoint; true when the channel halted. */
    private boolean session() throws InterruptedException {
        Checkpoint checkpoint = store.checkpoint(channel);
        ingestedHeight = checkpoint.lastBlock() + 1;
        if (checkpoint.halted()) {
            state = State.HALTED;
            return true;
        }
        RunObserver opened = observers.apply(channel);
        observer = opened;
        ManagedChannel grpc = profile.regulatorPeer().openChannel();
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        Thread reader = null;
        try (Gateway gateway = Gateway.newInstance().identity(profile.regulatorClientIdentity())
                .signer(profile.regulatorClientSigner()).connection(grpc).connect();
                CloseableIterator<Block> events = gateway.getNetwork(channel).newBlockEventsRequest()
                        .startBlock(checkpoint.nextBlock()).build().getEvents()) {
            state = State.STREAMING;
            reader = Thread.ofVirtual().name("ingest-read-" + channel).start(() -> read(events, queue, opened));
            List<Object> run = new ArrayList<>(maxBlocksPerCommit);
            while (running) {
                run.clear();
                run.add(queue.take());
                queue.drainTo(run, maxBlocksPerCommit - 1);
                List<DecodedBlock> decoded = new ArrayList<>(run.size());
                Failure failure = null;
                for (Object item : run) {
                    if (item instanceof DecodedBlock block) {
                        decoded.add(block);
                    } else {
                        failure = (Failure) item;
                        break;
                    }
                }
                if (!decoded.isEmpty() && store(decoded)) {
                    return true;
                }
                if (failure != null) {
                    throw new StreamException("block stream of " + channel + " failed: " + failure.cause().getMessage(),
                            failure.cause());
                }
            }
            return false;
        } finally {
            if (reader != null) {
                reader.interrupt();
            }
            grpc.shutdownNow();
            grpc.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void read(CloseableIterator<Block> events, BlockingQueue<Object> queue, RunObserver observer) {
        try {
            while (events.hasNext()) {
                DecodedBlock block = decoder.decode(channel, events.next());
                observer.decoded(block);
                queue.put(block);
            }
            queue.put(new Failure(new IllegalStateException("the peer ended the stream")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            queue.offer(new Failure(e));
        }
    }

    /** Stores a run of blocks; true when the channel halted. */
    private boolean store(List<DecodedBlock> run) {
        long start = System.nanoTime();
        IngestResult result = store.ingest(channel, run, observer);
        long elapsed = System.nanoTime() - start;
        ingestedHeight = result.lastBlock() + 1;
        if (result.blocks() > 0) {
            try {
                committed.accept(run.subList(0, result.blocks()));
            } catch (RuntimeException e) {
                LOG.warnf("the live feed missed blocks of %s: %s", channel, e.getMessage());
            }
            blocks.increment(result.blocks());
            transactions.increment(result.transactions());
            long each = elapsed / result.blocks();
            for (int i = 0; i < result.blocks(); i++) {
                perBlock.record(each, TimeUnit.NANOSECONDS);
            }
            backoff.reset();
            lastError = null;
        }
        if (result.halted()) {
            LOG.errorf("ingestion of %s HALTED: %s", channel, result.haltReason());
            lastError = result.haltReason();
            state = State.HALTED;
            return true;
        }
        return false;
    }

    void peerHeight(long height) {
        peerHeight = height;
    }

    long peerHeight() {
        return peerHeight;
    }

    State state() {
        return state;
    }

    String lastError() {
        return lastError;
    }

    private double lag() {
        long peer = peerHeight;
        long ingested = ingestedHeight;
        return peer < 0 || ingested < 0 ? Double.NaN : Math.max(0, peer - ingested);
    }

    /** Stops the worker and waits a little for it. */
    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The block stream failed. */
    static final class StreamException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StreamException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
