package io.sandbox.core.fabric.admin;

import java.util.List;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;

/**
 * One peer's administration through its system chaincodes, over {@code Endorser.ProcessProposal} with TLS:
 * {@code peer channel join|list|getinfo}, the channel config as the peer holds it, and {@code peer lifecycle chaincode
 * install|queryinstalled}. Every request is signed by the {@link AdminIdentity}, which the peer requires to be an admin
 * of its own organisation for joins and installs. Failures raise {@link ProposalException}. Close to release the connection.
 */
public interface PeerAdmin extends AutoCloseable {

    /** A client for {@code peer}, signing as {@code admin}. */
    static PeerAdmin connect(PeerEndpoint peer, AdminIdentity admin) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(admin, "admin");
        return new GrpcPeerAdmin(peer, admin);
    }

    /** The peer this client talks to. */
    PeerEndpoint endpoint();

    /** Joins the peer to a channel ({@code cscc JoinChain}) from its genesis block. */
    void joinChannel(Block genesis);

    /** The channels the peer has joined ({@code cscc GetChannels}). */
    List<String> channels();

    /** The peer's ledger height and hashes for a channel ({@code qscc GetChainInfo}). */
    ChainInfo chainInfo(String channelId);

    /**
     * The channel's current config block as this peer has committed it ({@code cscc GetConfigBlock}); the signer
     * must satisfy the channel's {@code cscc/GetConfigBlock} ACL (its Readers by default).
     */
    Block configBlock(String channelId);

    /** The channel's current config ({@code cscc GetChannelConfig}), under the {@code cscc/GetChannelConfig} ACL. */
    Config channelConfig(String channelId);

    /** Installs a chaincode package ({@code _lifecycle InstallChaincode}); returns its package id. */
    String installChaincode(byte[] chaincodePackage);

    /** The packages installed on the peer ({@code _lifecycle QueryInstalledChaincodes}). */
    List<InstalledChaincode> queryInstalled();

    /** Closes the connection. */
    @Override
    void close();
}
