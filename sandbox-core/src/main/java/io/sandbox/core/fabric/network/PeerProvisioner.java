package io.sandbox.core.fabric.network;

import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import java.util.Objects;

/**
 * Brings up a startup organisation's peer: the one step of provisioning that Fabric's protocols do not cover. The
 * devnet has a control API for it ({@link #devnet}); on a real network the operator's tooling (Kubernetes, or native
 * binaries) implements this interface.
 */
public interface PeerProvisioner {

    /**
     * Starts the organisation's first peer (and, where the provisioner runs chaincode for it, its chaincode server), or
     * finds them running; idempotent.
     *
     * @throws PeerProvisioningException if the peer cannot be started
     */
    ProvisionedPeer ensurePeer(OrganisationMaterial organisation);

    /**
     * The devnet's control API named by the profile, authenticated with the operator's admin TLS client; the
     * organisation's keys travel sealed with {@code vault}, whose master secret the devnet shares.
     *
     * @throws IllegalArgumentException if the profile names no devnet control API
     */
    static PeerProvisioner devnet(NetworkProfile network, KeyVault vault) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(vault, "vault");
        if (network.devnetControl() == null) {
            throw new IllegalArgumentException("the network profile names no devnet control API");
        }
        return new DevnetPeerProvisioner(network, vault);
    }
}
