package io.sandbox.core.fabric.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code _lifecycle} steps that change a channel, as {@code peer lifecycle chaincode approveformyorg|commit} do
 * them: build the proposal, collect endorsements, assemble and sign the transaction, Broadcast it to the orderer and
 * wait until the organisation's own peer has committed it (polling {@code qscc GetTransactionByID} with backoff);
 * and the read-only queries {@code checkcommitreadiness} and {@code querycommitted} on the own peer.
 *
 * <p>Failures raise {@link ProposalException} (endorsement), {@link BroadcastException} (ordering) or
 * {@link TransactionException} (committed invalid, or not committed in time). Close to release the connections.
 */
public interface ChaincodeLifecycle extends AutoCloseable {

    /** Default time to wait for a transaction to be committed on the own peer. */
    Duration DEFAULT_COMMIT_TIMEOUT = Duration.ofMinutes(2);

    /** A client for {@code admin}'s organisation, endorsing on {@code ownPeer} and ordering via {@code orderer}. */
    static ChaincodeLifecycle connect(AdminIdentity admin, PeerEndpoint ownPeer, OrdererEndpoint orderer) {
        return connect(admin, ownPeer, orderer, DEFAULT_COMMIT_TIMEOUT);
    }

    /** As {@link #connect(AdminIdentity, PeerEndpoint, OrdererEndpoint)} with another commit timeout. */
    static ChaincodeLifecycle connect(AdminIdentity admin, PeerEndpoint ownPeer, OrdererEndpoint orderer,
            Duration commitTimeout) {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(ownPeer, "ownPeer");
        Objects.requireNonNull(orderer, "orderer");
        Objects.requireNonNull(commitTimeout, "commitTimeout");
        if (commitTimeout.isNegative() || commitTimeout.isZero()) {
            throw new IllegalArgumentException("commitTimeout must be positive");
        }
        return new GrpcChaincodeLifecycle(admin, ownPeer, orderer, commitTimeout);
    }

    /**
     * Approves {@code definition} for the admin's organisation, endorsed by the own peer; returns the committed
     * transaction's id.
     *
     * @param packageId the installed package the organisation runs, or {@code null} to approve without one
     */
    String approveForMyOrg(String channelId, ChaincodeDefinition definition, String packageId);

    /** Per MSP id, whether the organisation approved {@code definition} (evaluated on the own peer). */
    Map<String, Boolean> checkCommitReadiness(String channelId, ChaincodeDefinition definition);

    /**
     * Commits {@code definition}, endorsed by {@code endorsingPeers} (enough organisations to satisfy the channel's
     * {@code LifecycleEndorsement} policy, typically one peer per organisation); returns the transaction id.
     */
    String commit(String channelId, ChaincodeDefinition definition, List<PeerEndpoint> endorsingPeers);

    /** The committed definition of chaincode {@code name} (a {@link ProposalException} when there is none). */
    CommittedChaincode queryCommitted(String channelId, String name);

    /** Closes the connections. */
    @Override
    void close();
}
