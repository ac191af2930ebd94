package io.sandbox.onboarding.provisioning;

import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.launcher.fabric.FabricNetwork;
import java.nio.file.Path;

/**
 * Runs {@link FabricNetwork} in a JVM of its own for {@link FabricTestNetwork}: the chaincode server scans its
 * classpath for contracts before it listens, and the test JVM's classpath is too large for that on a loaded machine.
 * Arguments: home directory, Base64 master key. Prints {@code READY} and the two file paths, stops when stdin closes.
 */
public final class FabricTestNetworkMain {

    private FabricTestNetworkMain() {
    }

    public static void main(String[] args) throws Exception {
        try (FabricNetwork network = FabricNetwork.start(Path.of(args[0]), KeyVault.fromBase64MasterSecret(args[1]))) {
            System.out.println("READY\t" + network.profileFile() + "\t" + network.regulatorChaincodePackage());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test JVM closes our stdin (or dies)
            }
        }
        System.exit(0);
    }
}
