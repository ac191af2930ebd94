package io.sandbox.devnet.peer;

import org.hyperledger.fabric.protos.peer.ProposalResponse;

/**
 * Serves the proposals the peer does not answer itself: {@code _lifecycle} and user chaincodes. The peer has
 * already unpacked and validated the proposal as Fabric's endorser does ({@code core/endorser/msgvalidation.go}:
 * header type, epoch, nonce, creator, txid, creator validity against the channel's MSPs and signature), rejected
 * duplicate txids, and checked the channel's {@code peer/Propose} ACL for chaincodes other than system ones.
 * The handler simulates (e.g. on {@link PeerChannel#state()}'s {@code snapshot()}), endorses and answers.
 */
@FunctionalInterface
public interface ProposalHandler {

    /**
     * @param proposal the validated proposal
     * @param channel  the channel it is addressed to, or null for a channel-less proposal
     * @param peer     the peer (its identity signs endorsements)
     * @return the response to send back, never null
     */
    ProposalResponse process(UnpackedProposal proposal, PeerChannel channel, PeerNode peer);
}
