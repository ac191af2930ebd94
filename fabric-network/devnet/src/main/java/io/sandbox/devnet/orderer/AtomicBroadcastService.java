package io.sandbox.devnet.orderer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.StreamObserver;
import io.sandbox.core.fabric.channel.ConfigUpdateException;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.devnet.deliver.BlockSource;
import io.sandbox.devnet.deliver.DeliverHandler;
import io.sandbox.devnet.ledger.LedgerException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.ExecutorService;
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

/**
 * {@code orderer.AtomicBroadcast}: Broadcast as {@code orderer/common/broadcast/broadcast.go} with the standard
 * channel filters ({@code msgprocessor}: size, expiration, SigFilter on {@code /Channel/Writers}); a CONFIG_UPDATE is
 * then authorized as {@code StandardChannel.ProcessConfigUpdateMsg} does ({@code configtx}), wrapped in a CONFIG
 * envelope signed by the orderer, filtered again and ordered in a block of its own. Deliver as
 * {@code common/deliver/deliver.go} with the {@code /Channel/Readers} session access control.
 */
final class AtomicBroadcastService extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {

    private static final Logger LOG = Logger.getLogger(AtomicBroadcastService.class.getName());
    static final String CHANNEL_WRITERS = "/Channel/Writers";
    static final String CHANNEL_READERS = "/Channel/Readers";

    private final DevOrderer registrar;
    private final DeliverHandler<DeliverResponse> deliverHandler;

    AtomicBroadcastService(DevOrderer registrar, ExecutorService deliverPool) {
        this.registrar = registrar;
        // Deliver ends the stream after a failed request
        this.deliverHandler = new DeliverHandler<>(deliverPool, () -> registrar.config().timeWindow(),
                this::deliverTarget, block -> DeliverResponse.newBuilder().setBlock(block).build(),
                status -> DeliverResponse.newBuilder().setStatus(status).build(), true);
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
        long seq = channel.sequence(); // read before the filters, as StandardChannel does
        boolean configUpdate = type == HeaderType.CONFIG_UPDATE_VALUE;
        // StandardChannel.ProcessConfigUpdateMsg wraps the filters' errors
        String context = configUpdate ? "config update for existing channel did not pass initial checks: " : "";
        if (envelope.getPayload().isEmpty()) {
            return bad(Status.BAD_REQUEST, context + "Message was empty");
        }
        long size = (long) envelope.getPayload().size() + envelope.getSignature().size();
        long absoluteMax = Integer.toUnsignedLong(channel.config.batchSize().getAbsoluteMaxBytes());
        if (size > absoluteMax) {
            return bad(Status.BAD_REQUEST, context + "message payload is " + size + " bytes and exceeds maximum allowed "
                    + absoluteMax + " bytes");
        }
        if (expired(shdr.getCreator())) {
            return bad(Status.BAD_REQUEST, context + "broadcast client identity expired");
        }
        PolicyResult writers = channel.evaluate(CHANNEL_WRITERS, envelope, shdr.getCreator());
        if (!writers.satisfied()) {
            LOG.fine(() -> "[channel: " + channel.id + "] broadcast refused: " + writers.explanation());
            return bad(Status.FORBIDDEN, context + writers.explanation() + ": permission denied");
        }
        try {
            if (configUpdate) {
                return configUpdate(channel, envelope, seq);
            }
            channel.order(envelope, seq);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return bad(Status.SERVICE_UNAVAILABLE, "channel " + channel.id + " is being removed");
        }
        return BroadcastResponse.newBuilder().setStatus(Status.SUCCESS).build();
    }

    /**
     * {@code StandardChannel.ProcessConfigUpdateMsg}, then the orderer's signed CONFIG envelope through the filters
     * again (size, {@code /Channel/Writers}), then ordering.
     */
    private BroadcastResponse configUpdate(Channel channel, Envelope envelope, long seq) {
        Envelope config;
        try {
            config = channel.signedConfig(channel.proposeConfigUpdate(envelope));
        } catch (ConfigUpdateException e) {
            LOG.warning(() -> "[channel: " + channel.id + "] rejecting broadcast of config message: " + e.getMessage());
            return bad(Status.BAD_REQUEST, "error applying config update to existing channel '" + channel.id + "': " + e.getMessage());
        } catch (java.security.GeneralSecurityException e) {
            return bad(Status.INTERNAL_SERVER_ERROR, "cannot sign the config envelope: " + e.getMessage());
        }
        long size = (long) config.getPayload().size() + config.getSignature().size();
        long absoluteMax = Integer.toUnsignedLong(channel.config.batchSize().getAbsoluteMaxBytes());
        if (size > absoluteMax) {
            return bad(Status.BAD_REQUEST, "config update for existing channel did not pass final checks: message payload is "
                    + size + " bytes and exceeds maximum allowed " + absoluteMax + " bytes");
        }
        try {
            ByteString creator = SignatureHeader.parseFrom(Payload.parseFrom(config.getPayload()).getHeader().getSignatureHeader())
                    .getCreator();
            PolicyResult writers = channel.evaluate(CHANNEL_WRITERS, config, creator);
            if (!writers.satisfied()) {
                return bad(Status.FORBIDDEN, "config update for existing channel did not pass final checks: "
                        + writers.explanation() + ": permission denied");
            }
        } catch (InvalidProtocolBufferException e) {
            return bad(Status.INTERNAL_SERVER_ERROR, e.getMessage());
        }
        channel.orderConfig(config, seq);
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
        return deliverHandler.open(responses);
    }

    /** A Deliver request's channel: the orderer's block store, read access by {@code /Channel/Readers}. */
    private DeliverHandler.Target deliverTarget(String channelId) {
        Channel channel = registrar.channel(channelId);
        if (channel == null) {
            return null;
        }
        BlockSource blocks = new BlockSource() {
            @Override
            public long height() {
                return channel.store.height();
            }

            @Override
            public Block block(long number) {
                return channel.store.block(number);
            }

            @Override
            public void awaitHeight(long minHeight, Duration timeout) throws InterruptedException {
                channel.store.awaitHeight(minHeight, timeout);
            }

            @Override
            public Status unavailable(LedgerException failure) {
                // the channel was removed, or the node is closing
                return registrar.channel(channelId) == null ? Status.NOT_FOUND : Status.SERVICE_UNAVAILABLE;
            }
        };
        return new DeliverHandler.Target(blocks, (envelope, shdr) -> readersAllow(channel, envelope, shdr),
                () -> channel.policies);
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
}
