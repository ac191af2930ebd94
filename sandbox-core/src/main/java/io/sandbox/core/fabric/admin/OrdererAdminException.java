package io.sandbox.core.fabric.admin;

/** The orderer's channel participation API refused a request, or could not be reached. */
public final class OrdererAdminException extends FabricAdminException {

    private final int httpStatus;
    private final String fabricError;

    OrdererAdminException(String operation, int httpStatus, String fabricError, Throwable cause) {
        super(operation + " failed: " + (httpStatus > 0 ? "HTTP " + httpStatus + ": " : "") + fabricError, cause);
        this.httpStatus = httpStatus;
        this.fabricError = fabricError;
    }

    /** The HTTP status, or 0 when no response was received (connection or TLS handshake failure). */
    public int httpStatus() {
        return httpStatus;
    }

    /** Fabric's {@code error} text, or the transport failure's message. */
    public String fabricError() {
        return fabricError;
    }
}
