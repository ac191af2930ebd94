package io.sandbox.devnet.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.sandbox.devnet.ledger.BlockStore;
import io.sandbox.devnet.orderer.TlsContexts;
import io.sandbox.devnet.peer.validation.EndorsementPolicies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * An in-JVM peer speaking Fabric 2.5's peer protocols: {@code protos.Endorser} (system chaincodes cscc and qscc;
 * the rest through a pluggable {@link ProposalHandler}) and {@code protos.Deliver}, over TLS. It keeps one
 * ledger per joined channel under {@code dataDir/ledgers/<channel>} and pulls each channel's blocks from the
 * orderer. A restart on the same data dir reopens its channels and resumes pulling from the stored height.
 */
public final class PeerNode implements AutoCloseable {

    /** Max gRPC message size both ways (Fabric's default 100 MiB). */
    public static final int MAX_MESSAGE_SIZE = 100 * 1024 * 1024;

    private final PeerConfig config;
    private final LocalMsp localMsp;
    private final Map<String, PeerChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, BlockPuller> pullers = new ConcurrentHashMap<>();
    private final ExecutorService deliverPool;
    private final ExecutorService callPool = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("devnet-peer-call-", 0).factory());
    private final ManagedChannel orderer;
    private volatile ProposalHandler proposalHandler;
    private volatile EndorsementPolicies endorsementPolicies = EndorsementPolicies.channelDefault();
    private volatile java.util.function.Function<String, EndorsementPolicies> channelEndorsementPolicies;
    private final GatewayPeers gatewayPeers = new GatewayPeers();
    private Server server;

    private PeerNode(PeerConfig config) {
        this.config = config;
        this.localMsp = new LocalMsp(config.mspId(), config.localMspRoots(), config.localMspAdmins());
        this.deliverPool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "devnet-peer-deliver");
            t.setDaemon(true);
            return t;
        });
        try {
            var credentials = TlsChannelCredentials.newBuilder()
                    .trustManager(TlsContexts.trustManagers(config.ordererTlsRoots()).getTrustManagers()).build();
            this.orderer = NettyChannelBuilder.forTarget(config.ordererEndpoint(), credentials)
                    .maxInboundMessageSize(MAX_MESSAGE_SIZE).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable orderer TLS roots", e);
        }
    }

    /** Starts the peer, reopening (and resuming the block pulling of) every channel stored in the data dir. */
    public static PeerNode start(PeerConfig config) {
        Objects.requireNonNull(config, "config");
        PeerNode node = new PeerNode(config);
        try {
            node.reopen();
            node.startServer();
        } catch (RuntimeException | IOException | java.security.GeneralSecurityException e) {
            node.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot start peer: " + e.getMessage(), e);
        }
        return node;
    }

    private Path ledgers() {
        return config.dataDir().resolve("ledgers");
    }

    private void reopen() throws IOException {
        Files.createDirectories(ledgers());
        try (var dirs = Files.list(ledgers())) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String id = dir.getFileName().toString();
                BlockStore store = BlockStore.open(dir);
                if (store.height() == 0) {
                    store.close(); // a join that failed before its genesis block was stored
                    continue;
                }
                PeerChannel channel = PeerChannel.open(id, store, namespace -> policiesOf(id).forNamespace(namespace));
                channels.put(id, channel);
                startPulling(channel);
            }
        }
    }

    private void startServer() throws IOException, java.security.GeneralSecurityException {
        var identity = config.identity();
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                .keyManager(TlsContexts.keyManagers(List.of(identity.tls().certificate()), identity.tls().privateKey())
                        .getKeyManagers());
        server = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()), tls.build())
                .maxInboundMessageSize(MAX_MESSAGE_SIZE)
                .executor(callPool)
                .addService(new EndorserService(this))
                .addService(new PeerDeliverService(this, deliverPool))
                .addService(new GatewayService(this, new EndorserService(this)))
                .build()
                .start();
    }

    private void startPulling(PeerChannel channel) {
        BlockPuller puller = new BlockPuller(channel, orderer, config.identity());
        pullers.put(channel.id(), puller);
        puller.start();
    }

    /** Creates the ledger from a genesis block and starts pulling (cscc JoinChain, ACL already checked). */
    synchronized void joinChannel(String channelId, Block genesis) {
        if (channels.containsKey(channelId)) {
            throw new IllegalStateException("cannot create ledger from genesis block: ledger [" + channelId
                    + "] already exists with state [ACTIVE]");
        }
        if (genesis.getHeader().getNumber() != 0) {
            throw new IllegalArgumentException("cannot create ledger from genesis block: block number should have "
                    + "been 0 but was " + genesis.getHeader().getNumber());
        }
        BlockStore store = BlockStore.open(ledgers().resolve(channelId));
        PeerChannel channel;
        try {
            channel = PeerChannel.create(channelId, store, genesis, namespace -> policiesOf(channelId).forNamespace(namespace));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        channels.put(channelId, channel);
        startPulling(channel);
    }

    /** The channel id a config block names (its envelope's channel header). */
    static String channelIdOf(Block block) {
        try {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(0)).getPayload());
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getChannelId();
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** cscc's {@code validateConfigBlock} (without the capabilities check); null when fine. */
    static String validateConfigBlock(Block block) {
        try {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(0)).getPayload());
            ChannelHeader chdr = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            if (chdr.getType() != HeaderType.CONFIG_VALUE) {
                return "Bad configuration envelope: invalid type " + chdr.getType() + ", expected CONFIG";
            }
            ConfigEnvelope env = ConfigEnvelope.parseFrom(payload.getData());
            if (!env.hasConfig()) {
                return "Nil config envelope Config";
            }
            if (!env.getConfig().hasChannelGroup()) {
                return "Nil channel group";
            }
            if (env.getConfig().getChannelGroup().getGroupsCount() == 0) {
                return "No channel configuration groups are available";
            }
            if (!env.getConfig().getChannelGroup().containsGroups("Application")) {
                return "Invalid configuration block, missing Application configuration group";
            }
            return null;
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            return "Failed to " + e.getMessage();
        }
    }

    public PeerConfig config() {
        return config;
    }

    LocalMsp localMsp() {
        return localMsp;
    }

    /** The bound gRPC port. */
    public int port() {
        return server.getPort();
    }

    /** {@code host:port} of the gRPC server. */
    public String endpoint() {
        return config.host() + ":" + port();
    }

    /** The joined channels, sorted. */
    public List<String> channels() {
        List<String> ids = new ArrayList<>(channels.keySet());
        ids.sort(null);
        return ids;
    }

    /** A joined channel, or null. */
    public PeerChannel channel(String channelId) {
        return channels.get(channelId);
    }

    /** Plugs the handler of {@code _lifecycle} and user chaincode proposals (null: Fabric's unknown-chaincode answer). */
    public void setProposalHandler(ProposalHandler handler) {
        this.proposalHandler = handler;
    }

    ProposalHandler proposalHandler() {
        return proposalHandler;
    }

    /** Plugs the chaincode endorsement policies the committer validates with (default: channel defaults). */
    public void setEndorsementPolicies(EndorsementPolicies policies) {
        this.endorsementPolicies = Objects.requireNonNull(policies, "policies");
    }

    /**
     * Plugs per-channel chaincode endorsement policies (e.g. from each channel's committed chaincode
     * definitions); they take precedence over {@link #setEndorsementPolicies}. Null removes them.
     */
    public void setChannelEndorsementPolicies(java.util.function.Function<String, EndorsementPolicies> perChannel) {
        this.channelEndorsementPolicies = perChannel;
    }

    EndorsementPolicies policiesOf(String channelId) {
        var perChannel = channelEndorsementPolicies;
        if (perChannel != null) {
            EndorsementPolicies policies = perChannel.apply(channelId);
            if (policies != null) {
                return policies;
            }
        }
        return endorsementPolicies;
    }

    /**
     * Whether a signed message's creator is an admin of this peer's local MSP (Fabric's channelless
     * {@code Admins} check: identity of the local MSP, valid, signature verifies, admin).
     */
    public boolean isLocalAdmin(com.google.protobuf.ByteString creator, com.google.protobuf.ByteString signedBytes,
            com.google.protobuf.ByteString signature) {
        return localMsp.check(creator, signedBytes, signature, true) == null;
    }

    /** The peers (of every org) this peer's gateway may ask for endorsements; this peer answers for its own org. */
    public GatewayPeers gatewayPeers() {
        return gatewayPeers;
    }

    /** The connection to the orderer (the gateway's {@code Submit} broadcasts on it). */
    ManagedChannel ordererChannel() {
        return orderer;
    }

    @Override
    public void close() {
        gatewayPeers.close();
        if (server != null) {
            server.shutdownNow();
        }
        pullers.values().forEach(BlockPuller::close);
        orderer.shutdownNow();
        if (server != null) {
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deliverPool.shutdownNow();
        callPool.shutdownNow();
        channels.values().forEach(PeerChannel::close);
    }
}
