package io.sandbox.devnet.orderer;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.sandbox.devnet.ledger.BlockStore;
import io.sandbox.devnet.ledger.LedgerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;

/** The {@link OrdererNode}: a registrar of joined channels plus its two listeners. */
final class DevOrderer implements OrdererNode {

    private static final Logger LOG = Logger.getLogger(DevOrderer.class.getName());
    /** Fabric's default {@code General.MaxRecvMsgSize} and {@code MaxSendMsgSize}: 100 MiB. */
    static final int MAX_MESSAGE_SIZE = 100 * 1024 * 1024;

    /** Why a join or remove failed, mapped to Fabric's {@code types.Err*} and HTTP statuses by the API. */
    enum Refusal { CHANNEL_EXISTS, CHANNEL_NOT_EXIST, BAD_BLOCK }

    static final class RegistrarException extends Exception {
        private static final long serialVersionUID = 1L;
        final Refusal refusal;

        RegistrarException(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }
    }

    private final OrdererConfig config;
    private final Path chainsDir;
    private final Map<String, Channel> channels = new TreeMap<>();
    private final ExecutorService deliverPool;
    private final ExecutorService callPool = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("devnet-orderer-call-", 0).factory());
    private Server grpc;
    private ParticipationApi admin;

    private DevOrderer(OrdererConfig config) {
        this.config = config;
        this.chainsDir = config.dataDir().resolve("chains");
        this.deliverPool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "devnet-orderer-deliver");
            t.setDaemon(true);
            return t;
        });
    }

    static DevOrderer start(OrdererConfig config) {
        DevOrderer node = new DevOrderer(config);
        try {
            node.loadChannels();
            node.startGrpc();
            node.admin = ParticipationApi.start(node);
            LOG.info(() -> "devnet orderer started: gRPC " + node.grpcEndpoint() + ", admin " + node.adminUrl()
                    + ", channels " + node.channels());
            return node;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            node.close();
            throw new IllegalStateException("cannot start the devnet orderer: " + e.getMessage(), e);
        }
    }

    private void loadChannels() throws IOException {
        Files.createDirectories(chainsDir);
        List<Path> dirs;
        try (Stream<Path> list = Files.list(chainsDir)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        for (Path dir : dirs) {
            BlockStore store = BlockStore.open(dir);
            if (store.height() == 0) {
                // a join that crashed before the genesis block was durable
                store.close();
                deleteRecursively(dir);
                continue;
            }
            Channel channel = Channel.open(store, config.signer(), config.tlsCertificateChain().get(0));
            channels.put(channel.id, channel);
        }
    }

    private void startGrpc() throws IOException, GeneralSecurityException {
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                .keyManager(TlsContexts.keyManagers(config.tlsCertificateChain(), config.tlsKey()).getKeyManagers());
        if (!config.grpcClientRoots().isEmpty()) {
            tls.trustManager(TlsContexts.trustManagers(config.grpcClientRoots()).getTrustManagers())
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        ServerCredentials credentials = tls.build();
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()), credentials)
                .maxInboundMessageSize(MAX_MESSAGE_SIZE)
                .executor(callPool)
                .addService(new AtomicBroadcastService(this, deliverPool))
                .build()
                .start();
    }

    // ---- registrar ----

    synchronized Channel channel(String channelId) {
        return channels.get(channelId);
    }

    @Override
    public synchronized List<String> channels() {
        return List.copyOf(channels.keySet());
    }

    @Override
    public synchronized long height(String channelId) {
        Channel channel = channels.get(channelId);
        return channel == null ? -1 : channel.store.height();
    }

    /** Joins a channel from its genesis block (the registrar's JoinChannel for an application channel). */
    synchronized Channel join(Block block) throws RegistrarException {
        ChannelConfigView view;
        try {
            view = ChannelConfigView.of(block);
            Channel.policies(block);
        } catch (IllegalArgumentException e) {
            throw new RegistrarException(Refusal.BAD_BLOCK, "invalid join block: " + e.getMessage());
        }
        if (channels.containsKey(view.channelId())) {
            throw new RegistrarException(Refusal.CHANNEL_EXISTS, "cannot join: channel already exists");
        }
        if (block.getHeader().getNumber() != 0) {
            throw new RegistrarException(Refusal.BAD_BLOCK, "cannot join: the devnet orderer joins from the genesis block "
                    + "only (block number 0, got " + Long.toUnsignedString(block.getHeader().getNumber())
                    + "); onboarding from other orderers is not supported");
        }
        Path dir = chainsDir.resolve(view.channelId());
        BlockStore store = null;
        try {
            if (Files.exists(dir)) {
                deleteRecursively(dir);
            }
            store = BlockStore.open(dir);
            Channel channel = Channel.create(store, block, config.signer(), config.tlsCertificateChain().get(0));
            channels.put(channel.id, channel);
            return channel;
        } catch (LedgerException | IOException | IllegalArgumentException e) {
            if (store != null) {
                store.close();
            }
            throw new RegistrarException(Refusal.BAD_BLOCK, "cannot join: " + e.getMessage());
        }
    }

    /** Removes a channel and its ledger. */
    synchronized void remove(String channelId) throws RegistrarException {
        Channel channel = channels.remove(channelId);
        if (channel == null) {
            throw new RegistrarException(Refusal.CHANNEL_NOT_EXIST, "cannot remove: channel does not exist");
        }
        channel.close();
        try {
            deleteRecursively(channel.store.directory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }

    // ---- node ----

    @Override
    public OrdererConfig config() {
        return config;
    }

    @Override
    public int grpcPort() {
        return grpc.getPort();
    }

    @Override
    public int adminPort() {
        return admin.port();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.stop();
        }
        if (grpc != null) {
            grpc.shutdownNow();
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            for (Channel channel : channels.values()) {
                try {
                    channel.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "closing channel " + channel.id, e);
                }
            }
            channels.clear();
        }
        deliverPool.shutdownNow();
        callPool.shutdownNow();
    }
}
