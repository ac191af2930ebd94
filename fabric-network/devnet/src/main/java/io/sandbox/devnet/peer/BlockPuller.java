package io.sandbox.devnet.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.sandbox.core.fabric.identity.Ecdsa;
import io.sandbox.core.fabric.identity.FabricIdentity;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * Pulls one channel's blocks from the orderer, as the peer's deliver client ({@code blocksprovider}): a Deliver
 * stream signed by the peer's identity asking from the stored height to {@code MaxUint64} with
 * {@code BLOCK_UNTIL_READY}; each block is verified and committed; on any failure the stream is dropped and
 * reopened after an exponential backoff (100 ms doubling to 10 s), from the then stored height.
 */
final class BlockPuller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BlockPuller.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final PeerChannel channel;
    private final ManagedChannel orderer;
    private final FabricIdentity signer;
    private final Thread thread;
    private volatile boolean closed;
    private volatile ClientCallStreamObserver<Envelope> current;

    BlockPuller(PeerChannel channel, ManagedChannel orderer, FabricIdentity signer) {
        this.channel = channel;
        this.orderer = orderer;
        this.signer = signer;
        this.thread = Thread.ofPlatform().daemon().name("devnet-peer-deliver-" + channel.id()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long backoff = MIN_BACKOFF_MS;
        while (!closed) {
            boolean progressed;
            try {
                progressed = pullOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "[" + channel.id() + "] deliver from the orderer failed", e);
                progressed = false;
            }
            if (closed) {
                return;
            }
            backoff = progressed ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoff * 2);
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One stream; returns whether any block was committed. */
    private boolean pullOnce() throws InterruptedException {
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        ClientResponseObserver<Envelope, DeliverResponse> observer = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Envelope> requestStream) {
                current = requestStream;
            }

            @Override
            public void onNext(DeliverResponse value) {
                events.add(value);
            }

            @Override
            public void onError(Throwable t) {
                events.add(t);
            }

            @Override
            public void onCompleted() {
                events.add("completed");
            }
        };
        var requests = AtomicBroadcastGrpc.newStub(orderer).deliver(observer);
        boolean progressed = false;
        try {
            requests.onNext(seekEnvelope(channel.height()));
            while (!closed) {
                Object event = events.poll(500, TimeUnit.MILLISECONDS);
                if (event == null) {
                    continue;
                }
                if (event instanceof DeliverResponse response && response.hasBlock()) {
                    String problem = channel.verify(response.getBlock());
                    if (problem != null) {
                        LOG.warning("[" + channel.id() + "] rejecting block from the orderer: " + problem);
                        return progressed;
                    }
                    channel.commit(response.getBlock());
                    progressed = true;
                } else {
                    LOG.fine(() -> "[" + channel.id() + "] deliver stream ended: " + event);
                    return progressed;
                }
            }
            return progressed;
        } finally {
            requests.onError(io.grpc.Status.CANCELLED.withDescription("restarting deliver").asRuntimeException());
        }
    }

    private Envelope seekEnvelope(long from) {
        SeekPosition start = SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(from)).build();
        SeekPosition stop = SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(-1L)).build();
        SeekInfo seek = SeekInfo.newBuilder().setStart(start).setStop(stop)
                .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY).build();
        return signedEnvelope(signer, channel.id(), HeaderType.DELIVER_SEEK_INFO, seek.toByteString());
    }

    /** An envelope signed by {@code signer} (SHA-256 over the payload, ECDSA), with a fresh nonce and txid. */
    static Envelope signedEnvelope(FabricIdentity signer, String channelId, HeaderType type, ByteString data) {
        try {
            byte[] nonce = new byte[24];
            RANDOM.nextBytes(nonce);
            ByteString creator = SerializedIdentity.newBuilder().setMspid(signer.mspId())
                    .setIdBytes(ByteString.copyFromUtf8(signer.signing().certificatePem())).build().toByteString();
            Instant now = Instant.now();
            Payload payload = Payload.newBuilder()
                    .setHeader(Header.newBuilder()
                            .setChannelHeader(ChannelHeader.newBuilder()
                                    .setType(type.getNumber())
                                    .setChannelId(channelId)
                                    .setTxId(UnpackedProposal.computeTxId(ByteString.copyFrom(nonce), creator))
                                    .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond())
                                            .setNanos(now.getNano()))
                                    .build().toByteString())
                            .setSignatureHeader(SignatureHeader.newBuilder().setCreator(creator)
                                    .setNonce(ByteString.copyFrom(nonce)).build().toByteString()))
                    .setData(data)
                    .build();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload.toByteArray());
            return Envelope.newBuilder().setPayload(payload.toByteString())
                    .setSignature(ByteString.copyFrom(Ecdsa.signDigest(
                            signer.signing().privateKey(), digest))).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a deliver request", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        ClientCallStreamObserver<Envelope> stream = current;
        if (stream != null) {
            stream.cancel("peer closing", null);
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
