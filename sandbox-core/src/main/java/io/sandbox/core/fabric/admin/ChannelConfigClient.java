package io.sandbox.core.fabric.admin;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.sandbox.core.fabric.block.ConfigBlocks;
import io.sandbox.core.fabric.channel.ConfigUpdates;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * Channel configuration updates through an orderer, as Fabric's own tools do: the current config block by Deliver
 * (the newest block, then the block its last-config index names, as {@code peer channel fetch config}), the
 * {@code ConfigUpdate} between the current and a modified config ({@link ConfigUpdates#compute}, configtxlator's
 * {@code compute_update}), {@code ConfigSignature}s of one or more admins ({@code peer channel signconfigtx}) and
 * the signed {@code CONFIG_UPDATE} envelope on Broadcast ({@code peer channel update}).
 */
public final class ChannelConfigClient implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ManagedChannel orderer;

    private ChannelConfigClient(OrdererEndpoint endpoint) {
        this.orderer = Tls.channel(endpoint.host(), endpoint.grpcPort(), endpoint.tlsRootCerts(), endpoint.adminTlsClient());
    }

    /** Connects to the orderer's gRPC listener (presenting the endpoint's TLS client, when set). */
    public static ChannelConfigClient connect(OrdererEndpoint orderer) {
        return new ChannelConfigClient(Objects.requireNonNull(orderer, "orderer"));
    }

    /**
     * The channel's current config block, read by {@code reader} (who must satisfy the channel's Readers).
     *
     * @throws DeliverException when the orderer refuses or fails
     */
    public Block configBlock(String channelId, AdminIdentity reader) {
        Block newest = fetch(channelId, reader, SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build());
        long index = ConfigBlocks.lastConfigIndex(newest);
        if (index == newest.getHeader().getNumber()) {
            return newest;
        }
        return fetch(channelId, reader, SeekPosition.newBuilder()
                .setSpecified(SeekSpecified.newBuilder().setNumber(index)).build());
    }

    /** {@code ConfigSignature} of {@code signer}: its signature over signature_header ‖ config_update. */
    public static ConfigSignature sign(ConfigUpdate update, AdminIdentity signer) {
        ByteString header = signatureHeader(signer).toByteString();
        ByteString data = header.concat(update.toByteString());
        return ConfigSignature.newBuilder().setSignatureHeader(header)
                .setSignature(Proposals.sign(signer, data.toByteArray())).build();
    }

    /**
     * Broadcasts the update with its signatures in a {@code CONFIG_UPDATE} envelope signed by {@code submitter}
     * (who must satisfy the channel's Writers), and returns once the orderer accepted it for ordering.
     *
     * @throws BroadcastException with the orderer's status and info when refused
     */
    public void submit(ConfigUpdate update, List<ConfigSignature> signatures, AdminIdentity submitter) {
        ConfigUpdateEnvelope body = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update.toByteString())
                .addAllSignatures(signatures).build();
        Envelope envelope = envelope(HeaderType.CONFIG_UPDATE, update.getChannelId(), submitter, body.toByteString());
        Broadcaster.submit(orderer, envelope, TIMEOUT, "config update of " + update.getChannelId());
    }

    /**
     * Fetches the current config (read by {@code submitter}), applies {@code change}, and submits the update signed
     * by every one of {@code signers}; returns the update.
     */
    public ConfigUpdate update(String channelId, UnaryOperator<Config> change, AdminIdentity submitter,
            List<AdminIdentity> signers) {
        Config current = ConfigBlocks.config(configBlock(channelId, submitter));
        ConfigUpdate update = ConfigUpdates.compute(channelId, current, change.apply(current));
        submit(update, signers.stream().map(s -> sign(update, s)).toList(), submitter);
        return update;
    }

    private Block fetch(String channelId, AdminIdentity reader, SeekPosition position) {
        SeekInfo seek = SeekInfo.newBuilder().setStart(position).setStop(position)
                .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY).build();
        Envelope request = envelope(HeaderType.DELIVER_SEEK_INFO, channelId, reader, seek.toByteString());
        CompletableFuture<Block> answer = new CompletableFuture<>();
        StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(orderer)
                .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .deliver(new StreamObserver<>() {
                    private Block block;

                    @Override
                    public void onNext(DeliverResponse value) {
                        if (value.hasBlock()) {
                            block = value.getBlock();
                        } else if (value.getStatus() == Status.SUCCESS && block != null) {
                            answer.complete(block);
                        } else {
                            answer.completeExceptionally(new DeliverException(channelId,
                                    "orderer answered " + value.getStatus()));
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(new DeliverException(channelId, t.getMessage()));
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new DeliverException(channelId, "stream closed without a block"));
                    }
                });
        try {
            requests.onNext(request);
            Block block = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            requests.onCompleted();
            return block;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof FabricAdminException f ? f
                    : new DeliverException(channelId, e.getCause().getMessage());
        } catch (TimeoutException e) {
            requests.onError(io.grpc.Status.CANCELLED.asRuntimeException());
            throw new DeliverException(channelId, "no block within " + TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliverException(channelId, "interrupted");
        }
    }

    private static SignatureHeader signatureHeader(AdminIdentity identity) {
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        return SignatureHeader.newBuilder().setCreator(Proposals.creator(identity)).setNonce(ByteString.copyFrom(nonce)).build();
    }

    /** {@code protoutil.CreateSignedEnvelope}: a payload of {@code type} signed by {@code signer}. */
    private static Envelope envelope(HeaderType type, String channelId, AdminIdentity signer, ByteString data) {
        Instant now = Instant.now();
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(type.getNumber()).setChannelId(channelId)
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond())).build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader(signer).toByteString()))
                .setData(data)
                .build();
        ByteString bytes = payload.toByteString();
        return Envelope.newBuilder().setPayload(bytes).setSignature(Proposals.sign(signer, bytes.toByteArray())).build();
    }

    @Override
    public void close() {
        orderer.shutdownNow();
    }
}
