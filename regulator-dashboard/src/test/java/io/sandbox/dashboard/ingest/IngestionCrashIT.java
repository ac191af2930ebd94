package io.sandbox.dashboard.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.launcher.environment.EnvironmentConnection;
import io.sandbox.launcher.environment.Service;
import io.sandbox.launcher.fabric.FabricNetwork;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged dashboard is killed with SIGKILL at random points while startups transact, and the devnet is stopped and
 * started once under it; afterwards the database holds every block and transaction of every channel exactly once, with
 * the header hashes and transaction ids the ledger itself has (read back from block 0 through the regulator's peer).
 */
class IngestionCrashIT {

    private static final List<String> STARTUPS = List.of("acme", "beta");
    private static final int KILLS = 12;

    @TempDir
    Path dir;

    private final AtomicInteger submitted = new AtomicInteger();
    private int kills;
    private volatile boolean trafficOn = true;
    private volatile List<StartupSandbox> sandboxes = List.of();

    @Test
    void everyBlockIsStoredExactlyOnceAcrossKillsAndADevnetRestart() throws Exception {
        Path jar = Path.of(System.getProperty("dashboard.jar", "target/quarkus-app/quarkus-run.jar"));
        assertThat(jar).as("the packaged dashboard (run 'verify', not 'test')").exists();
        EnvironmentConnection env = SandboxTestEnvironment.connection();
        String database = "dashboard_crash_" + HexFormat.of().formatHex(randomBytes(4));
        byte[] secret = randomBytes(32);
        KeyVault vault = KeyVault.fromMasterSecret(secret);
        Path home = dir.resolve("fabric");
        execute(env, "create database " + database);
        FabricNetwork network = start(home, vault);
        List<Thread> traffic = new ArrayList<>();
        Process dashboard = null;
        try {
            sandboxes = STARTUPS.stream().map(network::provision).toList();
            for (int i = 0; i < STARTUPS.size() * 2; i++) {
                int which = i % STARTUPS.size();
                traffic.add(Thread.ofVirtual().start(() -> transact(which)));
            }
            Map<String, String> childEnv = childEnvironment(env, database, network, secret);
            String url = env.jdbcUrl(database);
            for (int kill = 0; kill < KILLS; kill++) {
                long before = stored(env, url);
                dashboard = launch(jar, childEnv, kill);
                awaitProgress(env, url, before);
                if (kill == KILLS / 2) {
                    network.close();
                    Thread.sleep(ThreadLocalRandom.current().nextLong(500, 3_000));
                    network = start(home, vault);
                    FabricNetwork restarted = network;
                    sandboxes = STARTUPS.stream().map(restarted::provision).toList();
                    awaitProgress(env, url, stored(env, url));
                }
                // a random point while blocks flow in: mid-stream, mid-transaction or between commits
                Thread.sleep(ThreadLocalRandom.current().nextLong(0, 2_500));
                dashboard.destroyForcibly().waitFor();
                kills++;
            }
            assertThat(kills).isEqualTo(KILLS);
            trafficOn = false;
            for (Thread t : traffic) {
                t.join(Duration.ofSeconds(90));
            }
            assertThat(submitted.get()).as("transactions submitted during the kills").isGreaterThan(20);

            dashboard = launch(jar, childEnv, KILLS);
            NetworkProfile profile = network.profile();
            Map<String, Long> heights = new java.util.TreeMap<>();
            try (PeerAdmin admin = PeerAdmin.connect(profile.regulatorPeer(), profile.regulatorAdminIdentity())) {
                for (StartupSandbox sb : sandboxes) {
                    heights.put(sb.channelId(), admin.chainInfo(sb.channelId()).height());
                }
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (var entry : heights.entrySet()) {
                    assertThat(lastBlock(env, url, entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue() - 1);
                }
            });
            dashboard.destroy();
            dashboard.waitFor(30, TimeUnit.SECONDS);

            for (var entry : heights.entrySet()) {
                List<Block> ledger = ledger(profile, entry.getKey(), entry.getValue());
                assertStoredExactlyOnce(env, url, entry.getKey(), ledger);
                System.out.printf("crash test: %s verified, %d blocks, %d tx, after %d kills and a devnet restart%n",
                        entry.getKey(), ledger.size(), ledger.stream().mapToInt(b -> b.getData().getDataCount()).sum(),
                        kills);
            }
            try (Connection c = connect(env, url); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select count(*) from alert where kind = 'INTEGRITY'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("integrity alerts").isZero();
            }
            try (Connection c = connect(env, url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select rule_id, count(*) from alert where kind = 'RULE' group by rule_id order by rule_id")) {
                // for the record (e.g. builtin:unknown-chaincode for each channel's chaincode definition commit)
                while (rs.next()) {
                    System.out.printf("crash test: rule alerts %s: %d%n", rs.getString(1), rs.getLong(2));
                }
            }
        } finally {
            trafficOn = false;
            if (dashboard != null) {
                dashboard.destroyForcibly().waitFor();
            }
            network.close();
            execute(env, "drop database if exists " + database + " with (force)");
        }
    }

    private void assertStoredExactlyOnce(EnvironmentConnection env, String url, String channel, List<Block> ledger)
            throws SQLException {
        List<String> expectedBlocks = new ArrayList<>();
        List<String> expectedTxs = new ArrayList<>();
        for (Block block : ledger) {
            expectedBlocks.add(block.getHeader().getNumber() + ":" + BlockHashes.hex(BlockHashes.headerHash(block.getHeader()))
                    + ":" + block.getData().getDataCount());
            byte[] filter = block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE).toByteArray();
            for (int i = 0; i < block.getData().getDataCount(); i++) {
                expectedTxs.add(block.getHeader().getNumber() + ":" + i + ":" + txId(block, i) + ":"
                        + TxValidationCode.forNumber(filter[i] & 0xff).name());
            }
        }
        List<String> storedBlocks = new ArrayList<>();
        List<String> storedTxs = new ArrayList<>();
        try (Connection c = connect(env, url)) {
            try (PreparedStatement s = c.prepareStatement(
                    "select number, header_hash, tx_count from ledger_block where channel = ? order by number")) {
                s.setString(1, channel);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        storedBlocks.add(rs.getLong(1) + ":" + BlockHashes.hex(rs.getBytes(2)) + ":" + rs.getInt(3));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("select block_number, tx_index, coalesce(tx_id, ''), "
                    + "validation_code from ledger_transaction where channel = ? order by block_number, tx_index")) {
                s.setString(1, channel);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        storedTxs.add(rs.getLong(1) + ":" + rs.getInt(2) + ":" + rs.getString(3) + ":" + rs.getString(4));
                    }
                }
            }
        }
        assertThat(storedBlocks).as("blocks of " + channel).containsExactlyElementsOf(expectedBlocks);
        assertThat(storedTxs).as("transactions of " + channel).containsExactlyElementsOf(expectedTxs);
        assertThat(expectedTxs.size()).as("transactions on " + channel).isGreaterThan(5);
    }

    /** Submits onboardings on one startup's channel until told to stop, riding out the devnet's restart. */
    private void transact(int which) {
        int n = 0;
        while (trafficOn) {
            StartupSandbox sb = sandboxes.get(which);
            ManagedChannel grpc = sb.peer().openChannel();
            try (Gateway gateway = Gateway.newInstance().identity(sb.org().user().gatewayIdentity())
                    .signer(sb.org().user().gatewaySigner()).connection(grpc)
                    .endorseOptions(o -> o.withDeadlineAfter(20, TimeUnit.SECONDS))
                    .submitOptions(o -> o.withDeadlineAfter(20, TimeUnit.SECONDS))
                    .commitStatusOptions(o -> o.withDeadlineAfter(20, TimeUnit.SECONDS)).connect()) {
                var contract = gateway.getNetwork(sb.channelId()).getContract(FabricNetwork.CHAINCODE);
                while (trafficOn) {
                    String ref = "c" + Thread.currentThread().threadId() + "-" + n++ + "-" + System.nanoTime();
                    contract.newProposal("onboardCustomer").addArguments(ref, "DE", "LOW").build().endorse()
                            .submitAsync().getStatus();
                    submitted.incrementAndGet();
                }
            } catch (Exception e) {
                sleep(300);
            } finally {
                grpc.shutdownNow();
            }
        }
    }

    private Process launch(Path jar, Map<String, String> childEnv, int run) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Path.of("target", "crash-it", "dashboard-" + run + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dquarkus.http.port=0",
                "-Dsandbox.fabric.discovery-interval=1s", "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(childEnv);
        return builder.start();
    }

    private static Map<String, String> childEnvironment(EnvironmentConnection env, String database,
            FabricNetwork network, byte[] secret) {
        Map<String, String> child = new java.util.HashMap<>(env.serviceEnvironment(Service.DASHBOARD));
        child.put("SANDBOX_DB_URL", env.jdbcUrl(database));
        child.put("SANDBOX_FABRIC_PROFILE", network.profileFile().toString());
        child.put("SANDBOX_FABRIC_MASTER_KEY", Base64.getEncoder().encodeToString(secret));
        return child;
    }

    /** Blocks 0 to height - 1 as the regulator's peer serves them. */
    private static List<Block> ledger(NetworkProfile profile, String channel, long height) {
        List<Block> blocks = new ArrayList<>();
        ManagedChannel grpc = profile.regulatorPeer().openChannel();
        try (Gateway gateway = Gateway.newInstance().identity(profile.regulatorClientIdentity())
                .signer(profile.regulatorClientSigner()).connection(grpc).connect();
                CloseableIterator<Block> events = gateway.getNetwork(channel).newBlockEventsRequest().startBlock(0)
                        .build().getEvents(o -> o.withDeadlineAfter(120, TimeUnit.SECONDS))) {
            while (blocks.size() < height) {
                blocks.add(events.next());
            }
        } finally {
            grpc.shutdownNow();
        }
        return blocks;
    }

    private static String txId(Block block, int index) {
        try {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(index)).getPayload());
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the running dashboard stored blocks beyond {@code before}. */
    private static void awaitProgress(EnvironmentConnection env, String url, long before) {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> stored(env, url) > before);
    }

    /** The sum of all channels' checkpoints (0 before the schema exists). */
    private static long stored(EnvironmentConnection env, String url) {
        try (Connection c = connect(env, url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select coalesce(sum(last_block + 1), 0) from channel_checkpoint")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }

    private static long lastBlock(EnvironmentConnection env, String url, String channel) throws SQLException {
        try (Connection c = connect(env, url);
                PreparedStatement s = c.prepareStatement("select last_block from channel_checkpoint where channel = ?")) {
            s.setString(1, channel);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -2;
            }
        } catch (SQLException e) {
            return -3; // the schema is not migrated yet
        }
    }

    private static FabricNetwork start(Path home, KeyVault vault) {
        return FabricNetwork.start(home, vault);
    }

    private static void execute(EnvironmentConnection env, String sql) throws SQLException {
        try (Connection c = connect(env, env.jdbcUrl("postgres")); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect(EnvironmentConnection env, String url) throws SQLException {
        return DriverManager.getConnection(url, env.postgresUsername(), env.postgresPassword());
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
