package io.sandbox.core.fabric.policy;

import java.io.Serial;

/** A serialized identity is not valid on the channel; the message says exactly why. */
public final class IdentityException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public IdentityException(String message) {
        super(message);
    }

    public IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
