package io.sandbox.core.fabric.identity;

/** A sealed key could not be opened: wrong master secret or label, tampered or malformed data. */
public final class KeyVaultException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    KeyVaultException(String message) {
        super(message);
    }

    KeyVaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
