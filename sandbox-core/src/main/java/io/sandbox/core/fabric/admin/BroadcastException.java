package io.sandbox.core.fabric.admin;

/** The orderer did not accept a transaction for ordering. */
public final class BroadcastException extends FabricAdminException {

    private final String txId;
    private final String status;
    private final String info;

    BroadcastException(String txId, String status, String info, Throwable cause) {
        super("broadcast of " + txId + " failed: " + status + (info == null || info.isEmpty() ? "" : ": " + info),
                cause);
        this.txId = txId;
        this.status = status;
        this.info = info;
    }

    /** The transaction id. */
    public String txId() {
        return txId;
    }

    /** The orderer's {@code common.Status} name, or the gRPC status code when the stream failed. */
    public String status() {
        return status;
    }

    /** The orderer's info text. */
    public String info() {
        return info;
    }
}
