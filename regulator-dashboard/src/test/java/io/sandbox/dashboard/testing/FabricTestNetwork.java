package io.sandbox.dashboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.launcher.environment.EnvironmentConnection;
import io.sandbox.launcher.environment.Service;
import io.sandbox.launcher.fabric.FabricNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real devnet for the dashboard's {@code @QuarkusTest}s: {@link FabricNetwork} in a temporary directory with a random
 * master key, startups {@code acme} and {@code beta} provisioned, and the dashboard pointed at its profile. Use it
 * with global scope next to {@code SandboxTestEnvironment} on every test class, so Quarkus starts once.
 */
public final class FabricTestNetwork implements QuarkusTestResourceLifecycleManager {

    private static FabricNetwork network;
    private static Path home;

    @Override
    public Map<String, String> start() {
        try {
            forgetEarlierNetworks();
            home = Files.createTempDirectory("dashboard-fabric");
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            network = FabricNetwork.start(home, KeyVault.fromMasterSecret(secret));
            network.provision("acme");
            network.provision("beta");
            return Map.of("sandbox.fabric.profile", network.profileFile().toString(),
                    "sandbox.fabric.master-key", Base64.getEncoder().encodeToString(secret),
                    "sandbox.fabric.discovery-interval", "1s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test database outlives test runs, and each run's devnet is new: checkpoints of an earlier run's channels
     * would make ingestion wait for blocks this network does not have yet.
     */
    private static void forgetEarlierNetworks() {
        EnvironmentConnection env = SandboxTestEnvironment.connection();
        try (Connection c = DriverManager.getConnection(env.jdbcUrl(Service.DASHBOARD.database()),
                env.postgresUsername(), env.postgresPassword()); Statement s = c.createStatement()) {
            s.execute("do $$ begin if to_regclass('channel_checkpoint') is not null then "
                    + "truncate ledger_transaction, ledger_block, channel_checkpoint, alert cascade; end if; end $$");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clear the ingestion tables of the test database", e);
        }
    }

    @Override
    public void stop() {
        if (network != null) {
            network.close();
            network = null;
        }
        if (home != null) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory; the OS cleans it eventually
            }
        }
    }

    /** The running network. */
    public static FabricNetwork network() {
        if (network == null) {
            throw new IllegalStateException("FabricTestNetwork is not started in this class loader");
        }
        return network;
    }
}
