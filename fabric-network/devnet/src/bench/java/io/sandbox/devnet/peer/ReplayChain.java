package io.sandbox.devnet.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.sandbox.core.fabric.channel.ChannelDescription;
import io.sandbox.core.fabric.channel.ChannelDescription.ApplicationOrg;
import io.sandbox.core.fabric.channel.ChannelDescription.BatchSettings;
import io.sandbox.core.fabric.channel.ChannelDescription.Consenter;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.NodeOus;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import io.sandbox.core.fabric.channel.GenesisBlockBuilder;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.core.fabric.identity.SealedOrganisation;
import io.sandbox.devnet.orderer.TlsContexts;
import io.sandbox.devnet.orderer.OrdererConfig;
import io.sandbox.devnet.orderer.OrdererNode;
import io.sandbox.devnet.peer.endorsement.Endorsements;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * A long chain for the replay bench, built once in a data directory and reopened by later runs: an orderer and a
 * Startup peer (their organisations sealed in {@code material.json}), a channel with the given batch size, and
 * {@code txCount} endorser transactions broadcast as pre-signed envelopes (the shape and size of an
 * {@code onboardCustomer} transaction endorsed by both organisations' peers). The orderer checks and orders them,
 * the peer pulls, validates and commits every block; as the chaincode is not defined on the channel the peer marks
 * them {@code INVALID_CHAINCODE}, which changes one byte of the block's transactions filter and nothing a replay
 * reads.
 */
public final class ReplayChain implements AutoCloseable {

    public static final String CHANNEL = "replay";
    private static final String CHAINCODE = "sandbox";
    // bench data only: the material protects nothing
    private static final byte[] MASTER = "devnet-replay-bench-material-key!".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OrganisationMaterial ordererOrg;
    private final OrganisationMaterial startup;
    private final OrdererNode orderer;
    private final PeerNode peer;
    private final List<io.grpc.netty.shaded.io.netty.channel.EventLoopGroup> groups =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private ReplayChain(OrganisationMaterial ordererOrg, OrganisationMaterial startup, OrdererNode orderer,
            PeerNode peer) {
        this.ordererOrg = ordererOrg;
        this.startup = startup;
        this.orderer = orderer;
        this.peer = peer;
    }

    /** Opens the chain in {@code dir}, creating and filling it up to {@code txCount} transactions if needed. */
    public static ReplayChain open(Path dir, int batchSize, int txCount) throws Exception {
        Files.createDirectories(dir);
        KeyVault vault = KeyVault.fromMasterSecret(MASTER);
        Path materialFile = dir.resolve("material.json");
        OrganisationMaterial ordererOrg;
        OrganisationMaterial regulator;
        OrganisationMaterial startup;
        if (Files.exists(materialFile)) {
            // three JSON documents one after the other
            List<String> docs = new java.util.ArrayList<>();
            try (var values = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readerFor(com.fasterxml.jackson.databind.JsonNode.class).readValues(materialFile.toFile())) {
                values.forEachRemaining(node -> docs.add(node.toString()));
            }
            ordererOrg = SealedOrganisation.open(docs.get(0), vault);
            regulator = SealedOrganisation.open(docs.get(1), vault);
            startup = SealedOrganisation.open(docs.get(2), vault);
        } else {
            ordererOrg = OrganisationMaterial.generate(
                    OrganisationSpec.ordererOrganisation("OrdererMSP", "orderer.example.com", "orderer0"));
            regulator = OrganisationMaterial.generate(
                    OrganisationSpec.peerOrganisation("RegulatorMSP", "regulator.example.com", "peer0"));
            startup = OrganisationMaterial.generate(
                    OrganisationSpec.peerOrganisation("StartupMSP", "startup.example.com", "peer0"));
            Files.writeString(materialFile, String.join("\n", SealedOrganisation.seal(ordererOrg, vault),
                    SealedOrganisation.seal(regulator, vault), SealedOrganisation.seal(startup, vault)));
        }
        FabricIdentity orderer0 = ordererOrg.orderers().get(0);
        OrdererNode orderer = OrdererNode.start(OrdererConfig.of(dir.resolve("orderer"), orderer0,
                List.of(ordererOrg.tlsCa().certificate())));
        PeerNode peer = null;
        try {
            Block genesis = null;
            if (orderer.height(CHANNEL) < 0) {
                genesis = genesis(ordererOrg, regulator, startup, batchSize);
                join(ordererOrg, orderer, genesis.toByteArray());
            }
            peer = PeerNode.start(PeerConfig.of(dir.resolve("peer"), startup.peers().get(0),
                    List.of(startup.signingCa().certificate()), orderer.grpcEndpoint(),
                    List.of(ordererOrg.tlsCa().certificate())));
            ReplayChain chain = new ReplayChain(ordererOrg, startup, orderer, peer);
            if (peer.channel(CHANNEL) == null) {
                if (genesis == null) {
                    throw new IllegalStateException(dir + ": the orderer has the channel but the peer has not");
                }
                try (var grpc = chain.closeable(chain.connectPeer())) {
                    var r = PeerNodeTest.invoke(grpc.channel(), startup.admin(), "", "cscc",
                            PeerNodeTest.utf8("JoinChain"), genesis.toByteString());
                    if (r.getResponse().getStatus() != 200) {
                        throw new IllegalStateException("JoinChain: " + r.getResponse().getMessage());
                    }
                }
            }
            chain.fill(regulator, txCount);
            return chain;
        } catch (Exception | Error e) {
            if (peer != null) {
                peer.close();
            }
            orderer.close();
            throw e;
        }
    }

    /** The Startup user (a member of the channel's Readers). */
    public FabricIdentity user() {
        return startup.user();
    }

    /** A TLS connection to the peer whose event loop threads are named {@code threadPrefix} (to tell them apart). */
    public ManagedChannel connectPeer(String threadPrefix) throws Exception {
        var group = new io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup(1,
                Thread.ofPlatform().daemon().name(threadPrefix, 0).factory());
        var credentials = io.grpc.TlsChannelCredentials.newBuilder()
                .trustManager(TlsContexts.trustManagers(List.of(startup.tlsCa().certificate())).getTrustManagers())
                .build();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", peer.port(), credentials)
                .eventLoopGroup(group)
                .channelType(io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel.class)
                .maxInboundMessageSize(PeerNode.MAX_MESSAGE_SIZE).build();
        groups.add(group);
        return channel;
    }

    private ManagedChannel connectPeer() throws Exception {
        return PeerNodeTest.connect(peer, startup);
    }

    /** A Deliver request of the Startup user for blocks {@code from..to}, waiting until they are there. */
    public Envelope seekRequest(long from, long to) {
        var seek = org.hyperledger.fabric.protos.orderer.SeekInfo.newBuilder()
                .setStart(org.hyperledger.fabric.protos.orderer.SeekPosition.newBuilder().setSpecified(
                        org.hyperledger.fabric.protos.orderer.SeekSpecified.newBuilder().setNumber(from)))
                .setStop(org.hyperledger.fabric.protos.orderer.SeekPosition.newBuilder().setSpecified(
                        org.hyperledger.fabric.protos.orderer.SeekSpecified.newBuilder().setNumber(to)))
                .setBehavior(org.hyperledger.fabric.protos.orderer.SeekInfo.SeekBehavior.BLOCK_UNTIL_READY).build();
        return BlockPuller.signedEnvelope(startup.user(), CHANNEL, HeaderType.DELIVER_SEEK_INFO, seek.toByteString());
    }

    /** The peer's committed height. */
    public long height() {
        return peer.channel(CHANNEL).state().height();
    }

    /** Block {@code n} as the peer stored it. */
    public Block block(long n) {
        return peer.channel(CHANNEL).store().block(n);
    }

    private void fill(OrganisationMaterial regulator, int txCount) throws Exception {
        long have = 0;
        long height = peer.channel(CHANNEL).height();
        for (long n = 1; n < height; n++) {
            have += block(n).getData().getDataCount();
        }
        long missing = txCount - have;
        if (missing <= 0) {
            return;
        }
        long t0 = System.nanoTime();
        System.out.printf(Locale.ROOT, "# building the chain: %d transactions to broadcast%n", missing);
        List<FabricIdentity> endorsers = List.of(regulator.peers().get(0), startup.peers().get(0));
        ManagedChannel ord;
        var credentials = io.grpc.TlsChannelCredentials.newBuilder()
                .trustManager(TlsContexts.trustManagers(List.of(ordererOrg.tlsCa().certificate())).getTrustManagers())
                .build();
        ord = NettyChannelBuilder.forAddress("127.0.0.1", orderer.grpcPort(), credentials).build();
        try {
            Semaphore window = new Semaphore(2_000);
            AtomicLong acked = new AtomicLong();
            AtomicReference<Object> failure = new AtomicReference<>();
            var done = new java.util.concurrent.CountDownLatch(1);
            StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(ord).broadcast(new StreamObserver<>() {
                @Override
                public void onNext(BroadcastResponse value) {
                    if (value.getStatus() != Status.SUCCESS) {
                        failure.compareAndSet(null, value);
                    }
                    acked.incrementAndGet();
                    window.release();
                }

                @Override
                public void onError(Throwable t) {
                    failure.compareAndSet(null, t);
                    window.release(1_000_000);
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    done.countDown();
                }
            });
            int chunk = 1_000;
            for (long sent = 0; sent < missing && failure.get() == null; sent += chunk) {
                int n = (int) Math.min(chunk, missing - sent);
                long base = have + sent;
                List<Envelope> envelopes = IntStream.range(0, n).parallel()
                        .mapToObj(i -> transaction(startup.user(), endorsers, base + i)).toList();
                for (Envelope e : envelopes) {
                    window.acquire();
                    synchronized (requests) {
                        requests.onNext(e);
                    }
                }
            }
            requests.onCompleted();
            done.await(10, TimeUnit.MINUTES);
            if (failure.get() != null) {
                throw new IllegalStateException("broadcast failed: " + failure.get());
            }
            long ordered = orderer.height(CHANNEL);
            while (peer.channel(CHANNEL).state().height() < ordered) {
                Thread.sleep(100);
                ordered = orderer.height(CHANNEL);
            }
            // the last batch is cut by the batch timeout
            Thread.sleep(2_500);
            while (peer.channel(CHANNEL).state().height() < orderer.height(CHANNEL)) {
                Thread.sleep(100);
            }
        } finally {
            ord.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "# chain built in %.1f s: height %d%n", (System.nanoTime() - t0) / 1e9,
                height());
    }

    /** An onboardCustomer-like endorser transaction: one write, one event, both orgs' endorsements, signed. */
    private static Envelope transaction(FabricIdentity creator, List<FabricIdentity> endorsers, long index) {
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        ByteString creatorBytes = Endorsements.serializedIdentity(creator);
        String txId = UnpackedProposal.computeTxId(ByteString.copyFrom(nonce), creatorBytes);
        String key = "customer-" + index;
        long now = System.currentTimeMillis();
        ByteString chdr = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(CHANNEL).setTxId(txId)
                .setTimestamp(Timestamp.newBuilder().setSeconds(now / 1000).setNanos((int) (now % 1000) * 1_000_000))
                .setExtension(ChaincodeHeaderExtension.newBuilder()
                        .setChaincodeId(ChaincodeID.newBuilder().setName(CHAINCODE)).build().toByteString())
                .build().toByteString();
        ByteString shdr = SignatureHeader.newBuilder().setCreator(creatorBytes).setNonce(ByteString.copyFrom(nonce))
                .build().toByteString();
        ByteString ccpp = ChaincodeProposalPayload.newBuilder().setInput(ChaincodeInvocationSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder().setChaincodeId(ChaincodeID.newBuilder().setName(CHAINCODE))
                        .setInput(ChaincodeInput.newBuilder().addArgs(ByteString.copyFromUtf8("onboardCustomer"))
                                .addArgs(ByteString.copyFromUtf8(key)).addArgs(ByteString.copyFromUtf8("DE"))
                                .addArgs(ByteString.copyFromUtf8("LOW"))))
                .build().toByteString()).build().toByteString();
        String value = "{\"id\":\"" + key + "\",\"country\":\"DE\",\"risk\":\"LOW\",\"status\":\"ONBOARDED\"}";
        ByteString results = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(CHAINCODE).setRwset(KVRWSet.newBuilder()
                        .addWrites(KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)))
                        .build().toByteString()))
                .build().toByteString();
        ByteString prp = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(sha256(chdr.concat(shdr).concat(ccpp))))
                .setExtension(ChaincodeAction.newBuilder().setResults(results)
                        .setEvents(ChaincodeEvent.newBuilder().setChaincodeId(CHAINCODE).setTxId(txId)
                                .setEventName("CustomerOnboarded").setPayload(ByteString.copyFromUtf8(value))
                                .build().toByteString())
                        .setResponse(Response.newBuilder().setStatus(200))
                        .setChaincodeId(ChaincodeID.newBuilder().setName(CHAINCODE).setVersion("1.0"))
                        .build().toByteString())
                .build().toByteString();
        ChaincodeEndorsedAction.Builder action = ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(prp);
        for (FabricIdentity endorser : endorsers) {
            ByteString id = Endorsements.serializedIdentity(endorser);
            action.addEndorsements(Endorsement.newBuilder().setEndorser(id)
                    .setSignature(Endorsements.sign(endorser, prp.concat(id).toByteArray())));
        }
        ByteString tx = Transaction.newBuilder().addActions(TransactionAction.newBuilder().setHeader(shdr)
                .setPayload(ChaincodeActionPayload.newBuilder().setChaincodeProposalPayload(ccpp).setAction(action)
                        .build().toByteString())).build().toByteString();
        ByteString payload = Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(chdr)
                .setSignatureHeader(shdr)).setData(tx).build().toByteString();
        return Envelope.newBuilder().setPayload(payload)
                .setSignature(Endorsements.sign(creator, payload.toByteArray())).build();
    }

    private static byte[] sha256(ByteString data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data.toByteArray());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Block genesis(OrganisationMaterial ordererOrg, OrganisationMaterial regulator,
            OrganisationMaterial startup, int batchSize) {
        FabricIdentity orderer0 = ordererOrg.orderers().get(0);
        ByteString tls = ByteString.copyFromUtf8(orderer0.tls().certificatePem());
        OrdererOrg orderer = new OrdererOrg("OrdererOrg", msp(ordererOrg), List.of("127.0.0.1:7050"),
                List.of(new Consenter("orderer0.orderer.example.com", 7050, tls, tls)));
        BatchSettings defaults = BatchSettings.defaults();
        BatchSettings batch = new BatchSettings(Duration.ofSeconds(2), batchSize, defaults.absoluteMaxBytes(),
                defaults.preferredMaxBytes());
        return GenesisBlockBuilder.build(new ChannelDescription(CHANNEL, orderer,
                List.of(new ApplicationOrg("Regulator", msp(regulator), List.of()),
                        new ApplicationOrg("Startup", msp(startup), List.of())),
                "RegulatorMSP", true, batch, null, null, null));
    }

    private static Msp msp(OrganisationMaterial org) {
        return new Msp(org.mspId(), List.of(ByteString.copyFromUtf8(org.signingCa().certificatePem())),
                List.of(ByteString.copyFromUtf8(org.tlsCa().certificatePem())), NodeOus.standard());
    }

    /** The participation API's join, multipart as {@code osnadmin channel join}. */
    private static void join(OrganisationMaterial ordererOrg, OrdererNode node, byte[] block) throws Exception {
        FabricIdentity admin = ordererOrg.admin();
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(TlsContexts.keyManagers(List.of(admin.tls().certificate()), admin.tls().privateKey()).getKeyManagers(),
                TlsContexts.trustManagers(List.of(ordererOrg.tlsCa().certificate())).getTrustManagers(), null);
        String boundary = "replaybench" + Long.toHexString(RANDOM.nextLong());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"config-block\"; "
                + "filename=\"genesis.block\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(block);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create(node.adminUrl() + "/participation/v1/channels"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("orderer join: " + response.statusCode() + " " + response.body());
        }
    }

    private record Closeable(ManagedChannel channel) implements AutoCloseable {
        @Override
        public void close() {
            channel.shutdownNow();
        }
    }

    private Closeable closeable(ManagedChannel channel) {
        return new Closeable(channel);
    }

    @Override
    public void close() {
        groups.forEach(g -> g.shutdownGracefully(0, 1, TimeUnit.SECONDS));
        peer.close();
        orderer.close();
    }
}
