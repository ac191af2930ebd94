package io.sandbox.devnet.deliver;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sandbox.devnet.ledger.LedgerException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * One Deliver stream: its requests are served one after the other on the handler's pool, each as
 * {@code deliverBlocks} of {@code common/deliver/deliver.go} (envelope checks, timestamp window, channel, read
 * access, start/stop resolution, SeekBehavior, access re-checked before every block, flow control).
 */
final class DeliverSession<R> implements StreamObserver<Envelope> {

    private static final Logger LOG = Logger.getLogger(DeliverSession.class.getName());
    static final Duration WAIT_SLICE = Duration.ofMillis(200);
    /**
     * Bytes queued on the stream below which it takes the next block (gRPC's default is 32 KiB, less than one
     * block: reading the next block then waited for the previous one to be sent, TLS included).
     */
    static final int READY_THRESHOLD = 4 * 1024 * 1024;

    private final DeliverHandler<R> handler;
    private final ServerCallStreamObserver<R> call;
    private final Object readiness = new Object();
    // true while the stream is open for further requests
    private CompletableFuture<Boolean> tail = CompletableFuture.completedFuture(true);

    DeliverSession(DeliverHandler<R> handler, ServerCallStreamObserver<R> call) {
        this.handler = handler;
        this.call = call;
        Runnable wake = () -> {
            synchronized (readiness) {
                readiness.notifyAll();
            }
        };
        call.setOnReadyThreshold(READY_THRESHOLD);
        call.setOnReadyHandler(wake);
        call.setOnCancelHandler(wake);
    }

    @Override
    public synchronized void onNext(Envelope envelope) {
        tail = tail.thenApplyAsync(open -> {
            if (!open || call.isCancelled()) {
                return false;
            }
            Status status;
            try {
                status = deliverBlocks(envelope);
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
            call.onNext(handler.statusResponse.apply(status));
            if (status != Status.SUCCESS && handler.closeOnFailure) {
                call.onCompleted();
                return false;
            }
            return true;
        }, handler.pool);
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
        }, handler.pool);
    }

    /** One SeekInfo request; returns the final status, or null when the stream was cancelled. */
    Status deliverBlocks(Envelope envelope) throws InterruptedException {
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
        Duration timeWindow = handler.timeWindow.get();
        if (Duration.between(envTime, Instant.now()).abs().compareTo(timeWindow) > 0) {
            LOG.fine(() -> "deliver: envelope timestamp " + envTime + " is more than " + timeWindow
                    + " apart from current server time");
            return Status.BAD_REQUEST;
        }
        DeliverHandler.Target target = handler.channels.apply(chdr.getChannelId());
        if (target == null) {
            return Status.NOT_FOUND;
        }
        SeekInfo seekInfo;
        try {
            seekInfo = SeekInfo.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
            return Status.BAD_REQUEST;
        }
        SessionAccess access = new SessionAccess(target, envelope, shdr);
        if (!access.evaluate()) {
            return Status.FORBIDDEN;
        }
        if (!seekInfo.hasStart() || !seekInfo.hasStop()) {
            return Status.BAD_REQUEST;
        }
        BlockSource blocks = target.blocks();
        try {
            long height = blocks.height();
            long number = switch (seekInfo.getStart().getTypeCase()) {
                case NEWEST -> height - 1;
                case SPECIFIED -> seekInfo.getStart().getSpecified().getNumber();
                default -> 0; // OLDEST (and an unset type, which Go's iterator treats as oldest)
            };
            long stop;
            SeekPosition stopPosition = seekInfo.getStop();
            switch (stopPosition.getTypeCase()) {
                case NEWEST -> stop = seekInfo.getStart().equals(stopPosition) ? number : blocks.height() - 1;
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
                        && Long.compareUnsigned(number, blocks.height() - 1) > 0) {
                    return Status.NOT_FOUND;
                }
                while (blocks.servableHeight() <= number) {
                    if (call.isCancelled()) {
                        return null;
                    }
                    blocks.awaitHeight(number + 1, WAIT_SLICE);
                }
                R response = handler.blockResponse.of(blocks, number);
                if (!access.evaluate()) {
                    return Status.FORBIDDEN;
                }
                if (!awaitReady()) {
                    return null;
                }
                call.onNext(response);
                if (number++ == stop) {
                    return Status.SUCCESS;
                }
            }
        } catch (LedgerException e) {
            // the channel was removed (or the node is closing) while serving
            return blocks.unavailable(e);
        }
    }

    /**
     * {@code deliver.SessionAccessControl}: the policy is evaluated on first use and after every config change;
     * in between only the requester certificate's expiry ends the session.
     */
    private static final class SessionAccess {
        private final DeliverHandler.Target target;
        private final Envelope envelope;
        private final SignatureHeader shdr;
        private final Instant sessionEnd;
        private Object checkedConfig;

        SessionAccess(DeliverHandler.Target target, Envelope envelope, SignatureHeader shdr) {
            this.target = target;
            this.envelope = envelope;
            this.shdr = shdr;
            this.sessionEnd = expiresAt(shdr.getCreator());
        }

        boolean evaluate() {
            if (sessionEnd != null && Instant.now().isAfter(sessionEnd)) {
                LOG.fine(() -> "deliver client identity expired at " + sessionEnd);
                return false;
            }
            Object config = target.config().get();
            if (checkedConfig != null && checkedConfig == config) {
                return true;
            }
            if (!target.readable().test(envelope, shdr)) {
                return false;
            }
            checkedConfig = config;
            return true;
        }

        /** crypto.ExpiresAt: the notAfter of the creator's certificate, null when it has none readable. */
        private static Instant expiresAt(ByteString creator) {
            try {
                byte[] pem = SerializedIdentity.parseFrom(creator).getIdBytes().toByteArray();
                X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem));
                return cert.getNotAfter().toInstant();
            } catch (InvalidProtocolBufferException | CertificateException | RuntimeException e) {
                return null;
            }
        }
    }

    private boolean awaitReady() throws InterruptedException {
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
