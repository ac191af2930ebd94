package io.sandbox.devnet.orderer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.devnet.ledger.LedgerException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * {@code orderer.AtomicBroadcast}: Broadcast as {@code orderer/common/broadcast/broadcast.go} with the standard
 * channel filters ({@code msgprocessor}: size, expiration, SigFilter on {@code /Channel/Writers}), and Deliver as
 * {@code common/deliver/deliver.go} with the {@code /Channel/Readers} session access control.
 */
final class AtomicBroadcastService extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {

    private static final Logger LOG = Logger.getLogger(AtomicBroadcastService.class.getName());
    static final String CHANNEL_WRITERS = "/Channel/Writers";
    static final String CHANNEL_READERS = "/Channel/Readers";
    private static final Duration WAIT_SLICE = Duration.ofMillis(200);

    private final DevOrderer registrar;
    private final ExecutorService deliverPool;

    AtomicBroadcastService(DevOrderer registrar, ExecutorService deliverPool) {
        this.registrar = registrar;
        this.deliverPool = deliverPool;
    }

    // ---------------------------------------------------------------- Broadcast

    @Override
    public StreamObserver<Envelope> broadcast(StreamObserver<BroadcastResponse> responses) {
        return new StreamObserver<>() {
            private boolean done;

            @Override
            public void onNext(Envelope envelope) {
                if (done) {
                    return;
                }
                BroadcastResponse response = process(envelope);
                responses.onNext(response);
                if (response.getStatus() != Status.SUCCESS) {
                    // broadcast.Handle returns after a failed message: the stream ends
                    done = true;
                    responses.onCompleted();
                }
            }

            @Override
            public void onError(Throwable t) {
                done = true;
            }

            @Override
            public void onCompleted() {
                if (!done) {
                    done = true;
                    responses.onCompleted();
                }
            }
        };
    }

    BroadcastResponse process(Envelope envelope) {
        ChannelHeader chdr;
        SignatureHeader shdr;
        try {
            Payload payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                return bad(Status.BAD_REQUEST, "could not determine channel ID: no header was set");
            }
            chdr = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            shdr = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return bad(Status.BAD_REQUEST, "could not determine channel ID: error unmarshalling Payload: " + e.getMessage());
        }
        Channel channel = registrar.channel(chdr.getChannelId());
        if (channel == null) {
            // registrar.BroadcastChannelSupport without a system channel
            return bad(Status.BAD_REQUEST, "channel creation request not allowed because the orderer system channel is not defined");
        }
        int type = chdr.getType();
        if (type == HeaderType.CONFIG_VALUE || type == HeaderType.ORDERER_TRANSACTION_VALUE) {
            return bad(Status.BAD_REQUEST, "message is of type that cannot be processed directly");
        }
        // standard channel filters, in Fabric's order: empty, size, expiration, signature policy
        if (envelope.getPayload().isEmpty()) {
            return bad(Status.BAD_REQUEST, "Message was empty");
        }
        long size = (long) envelope.getPayload().size() + envelope.getSignature().size();
        long absoluteMax = Integer.toUnsignedLong(channel.config.batchSize().getAbsoluteMaxBytes());
        if (size > absoluteMax) {
            return bad(Status.BAD_REQUEST, "message payload is " + size + " bytes and exceeds maximum allowed " + absoluteMax + " bytes");
        }
        if (expired(shdr.getCreator())) {
            return bad(Status.BAD_REQUEST, "broadcast client identity expired");
        }
        PolicyResult writers = channel.evaluate(CHANNEL_WRITERS, envelope, shdr.getCreator());
        if (!writers.satisfied()) {
            LOG.fine(() -> "[channel: " + channel.id + "] broadcast refused: " + writers.explanation());
            return bad(Status.FORBIDDEN, writers.explanation() + ": permission denied");
        }
        if (type == HeaderType.CONFIG_UPDATE_VALUE) {
            return bad(Status.BAD_REQUEST, "config update messages are not supported by the devnet orderer yet "
                    + "(channel " + channel.id + " keeps its genesis config)");
        }
        try {
            channel.order(envelope);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return bad(Status.SERVICE_UNAVAILABLE, "channel " + channel.id + " is being removed");
        }
        return BroadcastResponse.newBuilder().setStatus(Status.SUCCESS).build();
    }

    private static BroadcastResponse bad(Status status, String info) {
        return BroadcastResponse.newBuilder().setStatus(status).setInfo(info).build();
    }

    /** {@code crypto.ExpiresAt} of a serialized X.509 identity is in the past. */
    private static boolean expired(ByteString creator) {
        X509Certificate cert = certificate(creator);
        return cert != null && cert.getNotAfter().before(new Date());
    }

    private static X509Certificate certificate(ByteString creator) {
        try {
            SerializedIdentity identity = SerializedIdentity.parseFrom(creator);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(identity.getIdBytes().toByteArray()));
        } catch (InvalidProtocolBufferException | CertificateException | RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- Deliver

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
        ServerCallStreamObserver<DeliverResponse> call = (ServerCallStreamObserver<DeliverResponse>) responses;
        Object readiness = new Object();
        call.setOnReadyHandler(() -> {
            synchronized (readiness) {
                readiness.notifyAll();
            }
        });
        call.setOnCancelHandler(() -> {
            synchronized (readiness) {
                readiness.notifyAll();
            }
        });
        return new StreamObserver<>() {
            // requests on one stream are served one after the other, off the gRPC threads
            private CompletableFuture<Boolean> tail = CompletableFuture.completedFuture(true);

            @Override
            public synchronized void onNext(Envelope envelope) {
                tail = tail.thenApplyAsync(open -> {
                    if (!open || call.isCancelled()) {
                        return false;
                    }
                    Status status;
                    try {
                        status = deliverBlocks(call, readiness, envelope);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "deliver failed", e);
                        status = Status.INTERNAL_SERVER_ERROR;
                    }
                    if (status == null || call.isCancelled()) {
                        return false;
                    }
                    call.onNext(DeliverResponse.newBuilder().setStatus(status).build());
                    if (status != Status.SUCCESS) {
                        call.onCompleted();
                        return false;
                    }
                    return true;
                }, deliverPool);
            }

            @Override
            public void onError(Throwable t) {
                // the client went away; deliverBlocks notices through isCancelled()
            }

            @Override
            public synchronized void onCompleted() {
                tail = tail.thenApplyAsync(open -> {
                    if (open && !call.isCancelled()) {
                        call.onCompleted();
                    }
                    return false;
                }, deliverPool);
            }
        };
    }

    /** One SeekInfo request; returns the final status, or null when the stream was cancelled. */
    private Status deliverBlocks(ServerCallStreamObserver<DeliverResponse> call, Object readiness, Envelope envelope)
            throws InterruptedException {
        Payload payload;
        ChannelHeader chdr;
        SignatureHeader shdr;
        try {
            payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                LOG.fine("deliver: envelope has no header");
                return Status.BAD_REQUEST;
            }
            chdr = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            shdr = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            LOG.fine(() -> "deliver: error parsing envelope: " + e.getMessage());
            return Status.BAD_REQUEST;
        }
        if (!chdr.hasTimestamp()) {
            LOG.fine("deliver: channel header in envelope must contain timestamp");
            return Status.BAD_REQUEST;
        }
        Instant envTime = Instant.ofEpochSecond(chdr.getTimestamp().getSeconds(), chdr.getTimestamp().getNanos());
        if (Duration.between(envTime, Instant.now()).abs().compareTo(registrar.config().timeWindow()) > 0) {
            LOG.fine(() -> "deliver: envelope timestamp " + envTime + " is more than " + registrar.config().timeWindow()
                    + " apart from current server time");
            return Status.BAD_REQUEST;
        }
        Channel channel = registrar.channel(chdr.getChannelId());
        if (channel == null) {
            return Status.NOT_FOUND;
        }
        SeekInfo seekInfo;
        try {
            seekInfo = SeekInfo.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
            return Status.BAD_REQUEST;
        }
        if (!readersAllow(channel, envelope, shdr)) {
            return Status.FORBIDDEN;
        }
        if (!seekInfo.hasStart() || !seekInfo.hasStop()) {
            return Status.BAD_REQUEST;
        }
        try {
            long height = channel.store.height();
            long number = switch (seekInfo.getStart().getTypeCase()) {
                case NEWEST -> height - 1;
                case SPECIFIED -> seekInfo.getStart().getSpecified().getNumber();
                default -> 0; // OLDEST (and an unset type, which Go's iterator treats as oldest)
            };
            long stop;
            SeekPosition stopPosition = seekInfo.getStop();
            switch (stopPosition.getTypeCase()) {
                case NEWEST -> stop = seekInfo.getStart().equals(stopPosition) ? number : channel.store.height() - 1;
                case SPECIFIED -> {
                    stop = stopPosition.getSpecified().getNumber();
                    if (Long.compareUnsigned(stop, number) < 0) {
                        LOG.fine(() -> "deliver: start number greater than stop number");
                        return Status.BAD_REQUEST;
                    }
                }
                default -> stop = number; // OLDEST
            }
            while (true) {
                if (seekInfo.getBehavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY
                        && Long.compareUnsigned(number, channel.store.height() - 1) > 0) {
                    return Status.NOT_FOUND;
                }
                while (channel.store.height() <= number) {
                    if (call.isCancelled()) {
                        return null;
                    }
                    channel.store.awaitHeight(number + 1, WAIT_SLICE);
                }
                Block block = channel.store.block(number);
                number++;
                if (!readersAllow(channel, envelope, shdr)) {
                    return Status.FORBIDDEN;
                }
                if (!awaitReady(call, readiness)) {
                    return null;
                }
                call.onNext(DeliverResponse.newBuilder().setBlock(block).build());
                if (block.getHeader().getNumber() == stop) {
                    return Status.SUCCESS;
                }
            }
        } catch (LedgerException e) {
            // the channel was removed (or the node is closing) while serving
            return registrar.channel(chdr.getChannelId()) == null ? Status.NOT_FOUND : Status.SERVICE_UNAVAILABLE;
        }
    }

    private static boolean readersAllow(Channel channel, Envelope envelope, SignatureHeader shdr) {
        if (expired(shdr.getCreator())) {
            return false;
        }
        PolicyResult result = channel.evaluate(CHANNEL_READERS, envelope, shdr.getCreator());
        if (!result.satisfied()) {
            LOG.fine(() -> "[channel: " + channel.id + "] deliver refused: " + result.explanation());
        }
        return result.satisfied();
    }

    private static boolean awaitReady(ServerCallStreamObserver<?> call, Object readiness) throws InterruptedException {
        synchronized (readiness) {
            while (!call.isReady()) {
                if (call.isCancelled()) {
                    return false;
                }
                readiness.wait(WAIT_SLICE.toMillis());
            }
        }
        return !call.isCancelled();
    }
}
