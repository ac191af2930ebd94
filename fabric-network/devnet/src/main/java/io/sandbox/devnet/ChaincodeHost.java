package io.sandbox.devnet;

import io.sandbox.core.fabric.identity.OrganisationMaterial;
import java.util.Optional;

/**
 * Runs an organisation's chaincode-as-a-service server next to its peer, as an organisation's operator does on a real
 * network. Every peer needs a server of its own: fabric-chaincode-shim 2.5 keeps one connection state per server,
 * and a second peer's handshake makes it drop the first peer's messages.
 */
@FunctionalInterface
public interface ChaincodeHost {

    /** No chaincode servers (tests that run their own). */
    ChaincodeHost NONE = org -> Optional.empty();

    /**
     * Called once the organisation's peer is up, also after a restart.
     *
     * @return the CCaaS package that the organisation's server answers to, for its admin to install; empty for none
     */
    Optional<byte[]> peerStarted(OrganisationMaterial organisation);
}
