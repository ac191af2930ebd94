package io.sandbox.core.fabric.admin;

/** The orderer did not deliver a requested block (refused access, unknown channel, no answer). */
public final class DeliverException extends FabricAdminException {

    private final String channelId;

    DeliverException(String channelId, String message) {
        super("deliver on channel " + channelId + " failed: " + message, null);
        this.channelId = channelId;
    }

    /** The channel asked for. */
    public String channelId() {
        return channelId;
    }
}
