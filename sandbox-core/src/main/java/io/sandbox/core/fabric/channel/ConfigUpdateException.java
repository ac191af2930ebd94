package io.sandbox.core.fabric.channel;

/** A config update that is malformed or not authorized; the message is Fabric's {@code configtx} error text. */
public final class ConfigUpdateException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigUpdateException(String message) {
        super(message);
    }
}
