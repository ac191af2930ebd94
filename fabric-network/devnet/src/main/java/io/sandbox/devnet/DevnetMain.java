package io.sandbox.devnet;

import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.network.NetworkProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the devnet as its own process until it is stopped (SIGINT or SIGTERM):
 * {@code java -jar sandbox-devnet.jar --home DIR}.
 *
 * <p>The key vault's master secret (Base64, at least 32 bytes) comes from the environment variable
 * {@code SANDBOX_FABRIC_MASTER_KEY}, or else from {@code DIR/master.key}, which is created (readable by its owner
 * only) on the first start. The connection profile for the platform is written to {@code DIR/network.json}.
 */
public final class DevnetMain {

    static final String MASTER_KEY_ENV = "SANDBOX_FABRIC_MASTER_KEY";

    private DevnetMain() {
    }

    public static void main(String[] args) throws Exception {
        Logging.install();
        Path home = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--home") && i + 1 < args.length) {
                home = Path.of(args[++i]);
            } else {
                usage("unknown argument: " + args[i]);
            }
        }
        if (home == null) {
            usage("--home is required");
            return;
        }
        Files.createDirectories(home);
        KeyVault vault = KeyVault.fromBase64MasterSecret(masterSecret(home));
        Devnet devnet = Devnet.start(home, vault);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            devnet.close();
            stopped.countDown();
        }, "devnet-shutdown"));
        NetworkProfile profile = devnet.profile();
        System.out.printf("devnet is up: orderer %s (participation API https://%s:%d), regulator peer %s%n",
                profile.orderer().grpcAddress(), profile.orderer().host(), profile.orderer().adminPort(),
                profile.regulatorPeer().address());
        for (String msp : devnet.peerOrganisations()) {
            System.out.printf("  peer of %s at %s%n", msp, devnet.peer(msp).address());
        }
        System.out.printf("connection profile: %s%n", home.resolve(Devnet.PROFILE_FILE).toAbsolutePath());
        System.out.flush();
        stopped.await();
    }

    private static String masterSecret(Path home) throws IOException {
        String fromEnv = System.getenv(MASTER_KEY_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        Path file = home.resolve("master.key");
        if (!Files.exists(file)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Path temporary = Files.createTempFile(home, ".master", ".key",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, Base64.getEncoder().encodeToString(secret));
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return Files.readString(file).strip();
    }

    private static void usage(String problem) {
        System.err.println("sandbox-devnet: " + problem);
        System.err.println("usage: java -jar sandbox-devnet.jar --home DIR");
        System.exit(2);
    }
}
