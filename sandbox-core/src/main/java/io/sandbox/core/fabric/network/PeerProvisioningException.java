package io.sandbox.core.fabric.network;

/** A startup's peer could not be started. */
public final class PeerProvisioningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PeerProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}
