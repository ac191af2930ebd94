package io.sandbox.dashboard.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.admin.ChaincodeDefinition;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.core.fabric.network.SandboxChannels;
import io.sandbox.core.fabric.network.SandboxChannels.Install;
import io.sandbox.core.fabric.network.SandboxChannels.Member;
import io.sandbox.devnet.Devnet;
import io.sandbox.launcher.environment.EnvironmentConnection;
import io.sandbox.launcher.environment.Service;
import io.sandbox.launcher.environment.ServiceLauncher;
import io.sandbox.launcher.fabric.FabricNetwork;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import io.sandbox.launcher.process.ManagedProcess;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * The live benches' set-up: a {@link FabricNetwork} in this JVM with startup {@code acme} and as many more channels
 * between the regulator and {@code acme} as asked (each with the sandbox chaincode), and the packaged dashboard started
 * as {@code ./sandbox run} starts it ({@link ServiceLauncher}: its own JVM, {@code -Xmx512m}, serial GC) against a fresh
 * database of the test environment.
 */
final class LiveDashboard implements AutoCloseable {

    private static final String DATABASE = "dashboard_live_bench_" + ProcessHandle.current().pid();

    private final EnvironmentConnection env = SandboxTestEnvironment.connection();
    private final Path home;
    private final byte[] secret = new byte[32];
    private final FabricNetwork network;
    private final StartupSandbox startup;
    private final List<String> channels = new ArrayList<>();
    private ManagedProcess dashboard;
    private int port;

    LiveDashboard() throws IOException {
        new SecureRandom().nextBytes(secret);
        home = Files.createTempDirectory("live-bench");
        network = FabricNetwork.start(home.resolve("fabric"), KeyVault.fromMasterSecret(secret));
        startup = network.provision("acme");
        channels.add(startup.channelId());
    }

    StartupSandbox startup() {
        return startup;
    }

    List<String> channels() {
        return List.copyOf(channels);
    }

    /** Creates channels {@code bench-NNN} (regulator and acme, sandbox chaincode) until there are {@code total}. */
    void growTo(int total) throws IOException {
        SandboxChannels sandbox = new SandboxChannels(network.profile());
        Member acme = Member.of("acme", startup.org(), startup.peer());
        Path packages = home.resolve("fabric").resolve("chaincode");
        List<Install> installs = List.of(
                new Install(sandbox.regulator(), ChaincodePackage.parse(
                        Files.readAllBytes(packages.resolve(Devnet.REGULATOR_MSP + ".tar.gz")))),
                new Install(acme, ChaincodePackage.parse(
                        Files.readAllBytes(packages.resolve(acme.msp().mspId() + ".tar.gz")))));
        long start = System.nanoTime();
        int before = channels.size();
        while (channels.size() < total) {
            String id = "bench-%03d".formatted(channels.size());
            var genesis = sandbox.genesis(id, acme, FabricNetwork.BATCH);
            sandbox.joinOrderer(id, genesis);
            sandbox.joinPeer(id, sandbox.regulator(), genesis);
            sandbox.joinPeer(id, acme, genesis);
            sandbox.deployChaincode(id, installs, ChaincodeDefinition.of(FabricNetwork.CHAINCODE, "1.0", 1));
            channels.add(id);
        }
        if (channels.size() > before) {
            System.out.printf("created %d channels in %.1f s; %d in all%n", channels.size() - before,
                    (System.nanoTime() - start) / 1e9, channels.size());
        }
    }

    /** Starts the packaged dashboard on a fresh database and waits until it is ready. */
    void launch() throws Exception {
        stopDashboard();
        sql(env.jdbcUrl("postgres"), "drop database if exists " + DATABASE + " with (force)");
        sql(env.jdbcUrl("postgres"), "create database " + DATABASE);
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> extra = new HashMap<>();
        extra.put("SANDBOX_DB_URL", env.jdbcUrl(DATABASE));
        extra.put("SANDBOX_FABRIC_PROFILE", network.profileFile().toString());
        extra.put("SANDBOX_FABRIC_MASTER_KEY", Base64.getEncoder().encodeToString(secret));
        extra.put("SANDBOX_FABRIC_DISCOVERY_INTERVAL", "1s");
        Path root = Path.of("").toAbsolutePath().getParent();
        dashboard = new ServiceLauncher(root, Path.of("target", "live-bench").toAbsolutePath())
                .start(Service.DASHBOARD, port, env, extra);
        ServiceLauncher.awaitHealthy(dashboard, port);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    long pid() {
        return dashboard.pid();
    }

    /**
     * Notes, for every transaction on the channels, when its block reached a block-event client of the regulator's
     * peer (the peer the dashboard ingests from), until the returned handle is closed.
     */
    AutoCloseable watchBlocks(Map<String, Long> seenAt) {
        return watchBlocks(seenAt, new ConcurrentHashMap<>());
    }

    /** As {@link #watchBlocks(Map)}, also noting each transaction's validation code (0 is VALID). */
    AutoCloseable watchBlocks(Map<String, Long> seenAt, Map<String, Integer> codes) {
        NetworkProfile profile = network.profile();
        ManagedChannel grpc = profile.regulatorPeer().openChannel();
        Gateway gateway = Gateway.newInstance().identity(profile.regulatorClientIdentity())
                .signer(profile.regulatorClientSigner()).connection(grpc).connect();
        List<CloseableIterator<Block>> streams = new ArrayList<>();
        for (String channel : channels) {
            CloseableIterator<Block> events = gateway.getNetwork(channel).newBlockEventsRequest().build().getEvents();
            streams.add(events);
            Thread.ofVirtual().name("blocks-" + channel).start(() -> {
                try {
                    while (events.hasNext()) {
                        Block block = events.next();
                        long at = System.nanoTime();
                        ByteString filter = block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE);
                        for (int i = 0; i < block.getData().getDataCount(); i++) {
                            Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(i)).getPayload());
                            String txId = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
                            seenAt.putIfAbsent(txId, at);
                            codes.putIfAbsent(txId, i < filter.size() ? filter.byteAt(i) & 0xff : -1);
                        }
                    }
                } catch (RuntimeException | com.google.protobuf.InvalidProtocolBufferException e) {
                    // closed
                }
            });
        }
        return () -> {
            // each stream's iterator holds a non-daemon thread of fabric-gateway's until it is closed
            streams.forEach(CloseableIterator::close);
            gateway.close();
            grpc.shutdownNow();
        };
    }

    /** Waits until the dashboard has stored every channel up to the regulator peer's height. */
    void awaitIngested(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        NetworkProfile profile = network.profile();
        while (true) {
            long peer = 0;
            try (PeerAdmin admin = PeerAdmin.connect(profile.regulatorPeer(), profile.regulatorAdminIdentity())) {
                for (String channel : channels) {
                    peer += admin.chainInfo(channel).height();
                }
            }
            long stored = stored();
            if (stored >= peer) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ingested " + stored + " of " + peer + " blocks after " + timeout
                        + "; see " + dashboard.logFile());
            }
            Thread.sleep(500);
        }
    }

    /** Blocks stored, summed over the channels (0 before the schema exists). */
    private long stored() {
        try (Connection c = connect(env.jdbcUrl(DATABASE)); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select coalesce(sum(last_block + 1), 0) from channel_checkpoint")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }

    /**
     * The dashboard JVM's memory and threads: heap in use after a full GC ({@code jcmd GC.run},
     * {@code GC.heap_info}), RSS and OS threads ({@code /proc}), and virtual threads (a {@code Thread.dump_to_file}).
     */
    Memory memory() throws Exception {
        String pid = Long.toString(pid());
        jcmd(pid, "GC.run");
        String heap = jcmd(pid, "GC.heap_info");
        long heapKb = 0;
        Matcher used = Pattern.compile("(?m)^\\s*(?:DefNew|Tenured|def new generation|tenured generation|garbage-first heap)"
                + "\\s+total \\d+K, used (\\d+)K").matcher(heap);
        while (used.find()) {
            heapKb += Long.parseLong(used.group(1));
        }
        Map<String, String> status = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"), StandardCharsets.US_ASCII)) {
            int colon = line.indexOf(':');
            status.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        Path dump = Files.createTempFile("live-bench-threads", ".txt");
        Files.delete(dump);
        jcmd(pid, "Thread.dump_to_file", dump.toString());
        long virtual = Files.readAllLines(dump).stream().filter(l -> l.matches("#\\d+ \".*\" virtual.*")).count();
        Files.deleteIfExists(dump);
        return new Memory(heapKb / 1024.0, Long.parseLong(status.get("VmRSS").split(" ")[0]) / 1024.0,
                Integer.parseInt(status.get("Threads")), virtual);
    }

    /** The dashboard JVM's footprint, in MiB and threads. */
    record Memory(double heap, double rss, int osThreads, long virtualThreads) {
        @Override
        public String toString() {
            return "heap after GC %6.1f MiB, RSS %6.1f MiB, OS threads %3d, virtual threads %4d"
                    .formatted(heap, rss, osThreads, virtualThreads);
        }
    }

    private static String jcmd(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", args) + ": " + out);
        }
        return out;
    }

    static String load() throws IOException {
        return "load " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    void stopDashboard() {
        if (dashboard != null) {
            dashboard.stop(Duration.ofSeconds(30));
            dashboard = null;
        }
    }

    @Override
    public void close() throws Exception {
        stopDashboard();
        network.close();
        sql(env.jdbcUrl("postgres"), "drop database if exists " + DATABASE + " with (force)");
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void sql(String url, String statement) throws SQLException {
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, env.postgresUsername(), env.postgresPassword());
    }
}
