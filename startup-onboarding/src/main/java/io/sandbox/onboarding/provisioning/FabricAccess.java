package io.sandbox.onboarding.provisioning;

import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.core.fabric.network.PeerProvisioner;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;

/** The configured Fabric network, read on first use (a failure to read it fails the step, which can be retried). */
@ApplicationScoped
class FabricAccess {

    /** What the Fabric steps need. */
    record Network(NetworkProfile profile, KeyVault vault, ChaincodePackage chaincode, PeerProvisioner peers) {
    }

    private final FabricConfig config;
    private volatile KeyVault vault;
    private volatile Network network;

    FabricAccess(FabricConfig config) {
        this.config = config;
    }

    boolean configured() {
        return config.configured();
    }

    /** The vault that seals stored organisation keys; needs only the master key. */
    KeyVault vault() {
        KeyVault current = vault;
        if (current == null) {
            current = KeyVault.fromBase64MasterSecret(config.masterKey()
                    .orElseThrow(() -> new IllegalStateException("sandbox.fabric.master-key is not configured")));
            vault = current;
        }
        return current;
    }

    /** The network, or empty when not configured. */
    synchronized Optional<Network> network() {
        if (!configured()) {
            return Optional.empty();
        }
        if (network == null) {
            NetworkProfile profile = NetworkProfile.read(config.profile().orElseThrow(), vault());
            ChaincodePackage pkg;
            try {
                pkg = ChaincodePackage.parse(Files.readAllBytes(config.chaincodePackage().orElseThrow()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the chaincode package " + config.chaincodePackage().get(), e);
            }
            PeerProvisioner peers = profile.devnetControl() != null ? PeerProvisioner.devnet(profile, vault())
                    : org -> {
                        throw new IllegalStateException("the network profile names no way to start peers (devnet control API)");
                    };
            network = new Network(profile, vault(), pkg, peers);
        }
        return Optional.of(network);
    }

    /** The network, or an error saying it is not configured. */
    Network require() {
        return network().orElseThrow(() -> new IllegalStateException(
                "no Fabric network is configured (sandbox.fabric.profile, master-key, chaincode-package)"));
    }
}
