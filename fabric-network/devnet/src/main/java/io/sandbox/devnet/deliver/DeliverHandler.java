package io.sandbox.devnet.deliver;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;

/**
 * Fabric's {@code common/deliver/deliver.go} Handler, shared by the orderer's and the peer's Deliver services:
 * each request envelope carries a SeekInfo which is answered, one request after the other and off the gRPC
 * threads, with blocks (shaped by {@code blockResponse}) and a final status (see {@link DeliverSession}).
 *
 * @param <R> the service's response message
 */
public final class DeliverHandler<R> {

    /**
     * A request's resolved channel: its blocks, the read access check (asked with the request envelope and its
     * signature header) and the channel's current config. As Fabric's {@code SessionAccessControl}, access is
     * checked before the first block and again before a block only when the config has changed since (an identity
     * compared object); the session ends when the requester's certificate expires.
     */
    public record Target(BlockSource blocks, BiPredicate<Envelope, SignatureHeader> readable, Supplier<?> config) {
        public Target {
            Objects.requireNonNull(blocks, "blocks");
            Objects.requireNonNull(readable, "readable");
            Objects.requireNonNull(config, "config");
        }
    }

    final Executor pool;
    final Supplier<Duration> timeWindow;
    final Function<String, Target> channels;
    /** The response carrying block {@code number} of a source. */
    interface BlockResponse<R> {
        R of(BlockSource blocks, long number);
    }

    final BlockResponse<R> blockResponse;
    final Function<Status, R> statusResponse;
    final boolean closeOnFailure;

    /**
     * @param pool           runs the requests
     * @param timeWindow     the tolerated distance of a request's timestamp from the server's clock
     * @param channels       the target of a channel id, null when the channel does not exist ({@code NOT_FOUND})
     * @param blockResponse  a block as the service sends it (full, filtered, ...)
     * @param statusResponse a final status as the service sends it
     * @param closeOnFailure whether a non-SUCCESS status also completes the stream (the orderer) or the stream
     *                       stays open for further requests (the peer)
     */
    public DeliverHandler(Executor pool, Supplier<Duration> timeWindow, Function<String, Target> channels,
            Function<Block, R> blockResponse, Function<Status, R> statusResponse, boolean closeOnFailure) {
        this(pool, timeWindow, channels, parsed(blockResponse), statusResponse, closeOnFailure);
    }

    private static <R> BlockResponse<R> parsed(Function<Block, R> response) {
        Objects.requireNonNull(response, "blockResponse");
        return (blocks, number) -> response.apply(blocks.block(number));
    }

    private DeliverHandler(Executor pool, Supplier<Duration> timeWindow, Function<String, Target> channels,
            BlockResponse<R> blockResponse, Function<Status, R> statusResponse, boolean closeOnFailure) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.timeWindow = Objects.requireNonNull(timeWindow, "timeWindow");
        this.channels = Objects.requireNonNull(channels, "channels");
        this.blockResponse = blockResponse;
        this.statusResponse = Objects.requireNonNull(statusResponse, "statusResponse");
        this.closeOnFailure = closeOnFailure;
    }

    /**
     * A handler whose block responses carry the stored bytes of the block unparsed ({@link BlockSource#blockBytes}):
     * {@code storedBlockResponse} wraps them for a marshaller that writes them as they are (see
     * {@link StoredBlockMarshaller}). Same parameters as the constructor otherwise.
     */
    public static <R> DeliverHandler<R> ofStoredBytes(Executor pool, Supplier<Duration> timeWindow,
            Function<String, Target> channels, Function<byte[], R> storedBlockResponse,
            Function<Status, R> statusResponse, boolean closeOnFailure) {
        Objects.requireNonNull(storedBlockResponse, "storedBlockResponse");
        return new DeliverHandler<>(pool, timeWindow, channels,
                (blocks, number) -> storedBlockResponse.apply(blocks.blockBytes(number)), statusResponse,
                closeOnFailure);
    }

    /** Serves one Deliver stream; {@code responses} is the gRPC server's observer of the call. */
    public StreamObserver<Envelope> open(StreamObserver<R> responses) {
        return new DeliverSession<>(this, (ServerCallStreamObserver<R>) responses);
    }
}
