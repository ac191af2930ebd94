package io.sandbox.core.fabric.network;

import io.sandbox.core.fabric.admin.AdminIdentity;
import io.sandbox.core.fabric.admin.OrdererEndpoint;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import io.sandbox.core.fabric.identity.CertifiedKey;
import io.sandbox.core.fabric.identity.KeyVault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * What the platform needs to run sandboxes on one Fabric network: the ordering service (with the operator's admin
 * TLS client for the channel participation API), the orderer organisation as new channels' genesis blocks name it,
 * and the regulator organisation with its peer, its admin (joins the peer to every channel, approves chaincode) and
 * its client (reads every channel's blocks).
 *
 * <p>The same profile describes the devnet (which writes one when it starts) or a real Fabric network (written by its
 * operator). On disk it is JSON, format {@code sandbox.network/1}, with private keys sealed by a {@link KeyVault};
 * see {@code docs/operations.md}.
 *
 * @param orderer         the ordering service node the platform talks to
 * @param ordererOrg      the orderer organisation: MSP, endpoints and etcdraft consenters
 * @param regulatorMsp    the regulator organisation's MSP
 * @param regulatorPeer   the regulator's peer
 * @param regulatorAdmin  the regulator admin's signing certificate and key
 * @param regulatorClient the regulator client's signing certificate and key
 * @param devnetControl   the devnet's control API (starts startup peers, see {@link PeerProvisioner#devnet}), or
 *                        {@code null} for a network whose peers are provisioned otherwise
 */
public record NetworkProfile(OrdererEndpoint orderer, OrdererOrg ordererOrg, Msp regulatorMsp, PeerEndpoint regulatorPeer,
        CertifiedKey regulatorAdmin, CertifiedKey regulatorClient, java.net.URI devnetControl) {

    /** The format name written into every profile. */
    public static final String FORMAT = "sandbox.network/1";

    /** Checks for nulls and that the regulator's peer belongs to the regulator's MSP. */
    public NetworkProfile {
        Objects.requireNonNull(orderer, "orderer");
        Objects.requireNonNull(ordererOrg, "ordererOrg");
        Objects.requireNonNull(regulatorMsp, "regulatorMsp");
        Objects.requireNonNull(regulatorPeer, "regulatorPeer");
        Objects.requireNonNull(regulatorAdmin, "regulatorAdmin");
        Objects.requireNonNull(regulatorClient, "regulatorClient");
        if (!regulatorPeer.mspId().equals(regulatorMsp.mspId())) {
            throw new IllegalArgumentException("the regulator's peer is of " + regulatorPeer.mspId()
                    + ", not of " + regulatorMsp.mspId());
        }
    }

    /** The regulator's MSP id. */
    public String regulatorMspId() {
        return regulatorMsp.mspId();
    }

    /** The regulator admin for the admin client. */
    public AdminIdentity regulatorAdminIdentity() {
        return new AdminIdentity(regulatorMspId(), regulatorAdmin.certificate(),
                Signers.newPrivateKeySigner(regulatorAdmin.privateKey()));
    }

    /** The regulator client's identity for fabric-gateway. */
    public X509Identity regulatorClientIdentity() {
        return new X509Identity(regulatorMspId(), regulatorClient.certificate());
    }

    /** The regulator client's signer for fabric-gateway. */
    public Signer regulatorClientSigner() {
        return Signers.newPrivateKeySigner(regulatorClient.privateKey());
    }

    /** Reads a profile written by {@link #write}. */
    public static NetworkProfile read(Path file, KeyVault vault) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(vault, "vault");
        try {
            return NetworkProfileJson.read(Files.readString(file, StandardCharsets.UTF_8), vault);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read network profile " + file, e);
        }
    }

    /** Writes this profile atomically (a reader never sees half a file), readable by its owner only. */
    public void write(Path file, KeyVault vault) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(vault, "vault");
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, ".network", ".json");
            Files.writeString(temporary, NetworkProfileJson.write(this, vault), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write network profile " + file, e);
        }
    }
}
