package io.sandbox.dashboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.launcher.fabric.FabricNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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
