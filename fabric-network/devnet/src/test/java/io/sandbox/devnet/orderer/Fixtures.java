package io.sandbox.devnet.orderer;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sandbox.core.fabric.channel.ChannelDescription;
import io.sandbox.core.fabric.channel.ChannelDescription.ApplicationOrg;
import io.sandbox.core.fabric.channel.ChannelDescription.BatchSettings;
import io.sandbox.core.fabric.channel.ChannelDescription.Consenter;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.NodeOus;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import io.sandbox.core.fabric.channel.GenesisBlockBuilder;
import io.sandbox.core.fabric.identity.CertifiedKey;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
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
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/** Shared test material: generated organisations, genesis blocks, and clients for both listeners. */
final class Fixtures {

    static final OrganisationMaterial ORDERER_ORG = OrganisationMaterial.generate(
            OrganisationSpec.ordererOrganisation("OrdererMSP", "orderer.example.com", "orderer0"));
    static final OrganisationMaterial REGULATOR = OrganisationMaterial.generate(
            OrganisationSpec.peerOrganisation("RegulatorMSP", "regulator.example.com", "peer0"));
    static final OrganisationMaterial STARTUP = OrganisationMaterial.generate(
            OrganisationSpec.peerOrganisation("StartupMSP", "startup.example.com", "peer0"));
    static final OrganisationMaterial OUTSIDER = OrganisationMaterial.generate(
            OrganisationSpec.peerOrganisation("OutsiderMSP", "outsider.example.com", "peer0"));

    static final FabricIdentity ORDERER0 = ORDERER_ORG.orderers().get(0);

    private static final SecureRandom RANDOM = new SecureRandom();

    private Fixtures() {}

    static ByteString pem(CertifiedKey key) {
        return ByteString.copyFromUtf8(key.certificatePem());
    }

    static Msp msp(OrganisationMaterial org) {
        return new Msp(org.mspId(), List.of(pem(org.signingCa())), List.of(pem(org.tlsCa())), NodeOus.standard());
    }

    static Block genesis(String channelId, BatchSettings batch) {
        OrdererOrg orderer = new OrdererOrg("OrdererOrg", msp(ORDERER_ORG), List.of("127.0.0.1:7050"),
                List.of(new Consenter("orderer0.orderer.example.com", 7050, pem(ORDERER0.tls()), pem(ORDERER0.tls()))));
        ChannelDescription description = new ChannelDescription(channelId, orderer,
                List.of(new ApplicationOrg("Regulator", msp(REGULATOR), List.of()),
                        new ApplicationOrg("Startup", msp(STARTUP), List.of())),
                "RegulatorMSP", true, batch, null, null, null);
        return GenesisBlockBuilder.build(description);
    }

    static BatchSettings batch(Duration timeout, int maxMessages) {
        return new BatchSettings(timeout, maxMessages, 10 * 1024 * 1024, 2 * 1024 * 1024);
    }

    // ---- participation API client ----

    static HttpClient adminClient(FabricIdentity admin) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(admin == null ? null : TlsContexts.keyManagers(List.of(admin.tls().certificate()), admin.tls().privateKey()).getKeyManagers(),
                TlsContexts.trustManagers(List.of(ORDERER_ORG.tlsCa().certificate())).getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpResponse<String> join(HttpClient client, OrdererNode node, byte[] blockBytes) throws Exception {
        String boundary = "devnet" + HexFormat.of().formatHex(RANDOM.generateSeed(8));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"config-block\"; filename=\"genesis.block\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(blockBytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.adminUrl() + "/participation/v1/channels"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(HttpClient client, OrdererNode node, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.adminUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // ---- gRPC client ----

    static ManagedChannel grpc(OrdererNode node) throws Exception {
        var credentials = TlsChannelCredentials.newBuilder()
                .trustManager(TlsContexts.trustManagers(List.of(ORDERER_ORG.tlsCa().certificate())).getTrustManagers())
                .build();
        return NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort(), credentials).build();
    }

    static ByteString serialized(FabricIdentity identity) {
        return SerializedIdentity.newBuilder().setMspid(identity.mspId())
                .setIdBytes(ByteString.copyFromUtf8(identity.signing().certificatePem())).build().toByteString();
    }

    static Envelope signedEnvelope(FabricIdentity signer, String channelId, HeaderType type, ByteString data) throws Exception {
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        ByteString creator = serialized(signer);
        MessageDigest txDigest = MessageDigest.getInstance("SHA-256");
        txDigest.update(nonce);
        txDigest.update(creator.toByteArray());
        Instant now = Instant.now();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(ChannelHeader.newBuilder()
                                .setType(type.getNumber())
                                .setChannelId(channelId)
                                .setTxId(HexFormat.of().formatHex(txDigest.digest()))
                                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                                .build().toByteString())
                        .setSignatureHeader(SignatureHeader.newBuilder().setCreator(creator).setNonce(ByteString.copyFrom(nonce))
                                .build().toByteString()))
                .setData(data)
                .build();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload.toByteArray());
        return Envelope.newBuilder()
                .setPayload(payload.toByteString())
                .setSignature(ByteString.copyFrom(signer.gatewaySigner().sign(digest)))
                .build();
    }

    static Envelope transaction(FabricIdentity signer, String channelId, String content) throws Exception {
        return signedEnvelope(signer, channelId, HeaderType.ENDORSER_TRANSACTION, ByteString.copyFromUtf8(content));
    }

    /** Sends envelopes on one Broadcast stream and returns the responses (the stream ends at the first failure). */
    static List<BroadcastResponse> broadcast(ManagedChannel channel, List<Envelope> envelopes) throws Exception {
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        var requests = AtomicBroadcastGrpc.newStub(channel).broadcast(new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(BroadcastResponse value) {
                events.add(value);
            }

            @Override
            public void onError(Throwable t) {
                events.add(t);
            }

            @Override
            public void onCompleted() {
                events.add("done");
            }
        });
        List<BroadcastResponse> responses = new ArrayList<>();
        for (Envelope envelope : envelopes) {
            requests.onNext(envelope);
            Object event = events.poll(10, TimeUnit.SECONDS);
            if (!(event instanceof BroadcastResponse response)) {
                throw new AssertionError("unexpected broadcast event " + event);
            }
            responses.add(response);
            if (response.getStatus() != Status.SUCCESS) {
                return responses;
            }
        }
        requests.onCompleted();
        return responses;
    }

    static SeekPosition specified(long n) {
        return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(n)).build();
    }

    static SeekPosition newest() {
        return SeekPosition.newBuilder().setNewest(org.hyperledger.fabric.protos.orderer.SeekNewest.getDefaultInstance()).build();
    }

    static SeekPosition oldest() {
        return SeekPosition.newBuilder().setOldest(org.hyperledger.fabric.protos.orderer.SeekOldest.getDefaultInstance()).build();
    }

    /** What one Deliver request returned: blocks then a status. */
    record Delivered(List<Block> blocks, Status status) {}

    static Delivered deliver(ManagedChannel channel, FabricIdentity signer, String channelId, SeekPosition start,
            SeekPosition stop, SeekInfo.SeekBehavior behavior, Runnable whileWaiting) throws Exception {
        SeekInfo seek = SeekInfo.newBuilder().setStart(start).setStop(stop).setBehavior(behavior).build();
        Envelope request = signedEnvelope(signer, channelId, HeaderType.DELIVER_SEEK_INFO, seek.toByteString());
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        var requests = AtomicBroadcastGrpc.newStub(channel).deliver(new io.grpc.stub.StreamObserver<>() {
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
                events.add("done");
            }
        });
        requests.onNext(request);
        if (whileWaiting != null) {
            whileWaiting.run();
        }
        List<Block> blocks = new ArrayList<>();
        while (true) {
            Object event = events.poll(10, TimeUnit.SECONDS);
            if (event instanceof DeliverResponse response) {
                if (response.hasBlock()) {
                    blocks.add(response.getBlock());
                } else {
                    requests.onCompleted();
                    return new Delivered(blocks, response.getStatus());
                }
            } else {
                throw new AssertionError("unexpected deliver event " + event);
            }
        }
    }
}
