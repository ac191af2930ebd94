package io.sandbox.devnet.orderer;

import java.util.List;
import java.util.Objects;

/**
 * One in-JVM ordering service node speaking Fabric 2.5's protocols: the channel participation REST API
 * ({@code /participation/v1/channels}, HTTPS with mutual TLS) and the {@code orderer.AtomicBroadcast} gRPC
 * service (Broadcast and Deliver, TLS). It orders for every channel it has joined as that channel's only
 * consenter, cutting blocks by the channel's {@code BatchSize} and {@code BatchTimeout}.
 */
public interface OrdererNode extends AutoCloseable {

    /** Starts the node, reopening every channel found under {@link OrdererConfig#dataDir()}. */
    static OrdererNode start(OrdererConfig config) {
        Objects.requireNonNull(config, "config");
        return DevOrderer.start(config);
    }

    /** The bound gRPC port. */
    int grpcPort();

    /** The bound participation API port. */
    int adminPort();

    /** {@code host:port} of the gRPC service. */
    default String grpcEndpoint() {
        return config().host() + ":" + grpcPort();
    }

    /** Base URL of the participation API, e.g. {@code https://127.0.0.1:7053}. */
    default String adminUrl() {
        return "https://" + config().host() + ":" + adminPort();
    }

    OrdererConfig config();

    /** The channels joined, sorted by name. */
    List<String> channels();

    /** The block height of a channel, or -1 when it is not joined. */
    long height(String channelId);

    /** Stops both listeners, cuts nothing further and closes the ledgers. Pending (uncut) envelopes are lost. */
    @Override
    void close();
}
