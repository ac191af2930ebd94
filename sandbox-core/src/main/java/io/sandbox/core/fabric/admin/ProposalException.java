package io.sandbox.core.fabric.admin;

/** A peer did not endorse or answer a proposal successfully. */
public final class ProposalException extends FabricAdminException {

    private final String peer;
    private final int status;
    private final String peerMessage;

    ProposalException(String peer, String function, int status, String peerMessage, Throwable cause) {
        super(function + " on " + peer + " failed: " + (status > 0 ? "status " + status + ": " : "") + peerMessage,
                cause);
        this.peer = peer;
        this.status = status;
        this.peerMessage = peerMessage;
    }

    /** The peer's address. */
    public String peer() {
        return peer;
    }

    /** The response status (e.g. 500), or 0 when the gRPC call itself failed. */
    public int status() {
        return status;
    }

    /** The peer's response message, or the gRPC status description. */
    public String peerMessage() {
        return peerMessage;
    }
}
