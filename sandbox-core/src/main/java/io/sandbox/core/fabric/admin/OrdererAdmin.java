package io.sandbox.core.fabric.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * An ordering service node's channel participation API ({@code /participation/v1/channels}), over HTTPS with
 * mutual TLS: what {@code osnadmin channel join|list|remove} does. Failures raise {@link OrdererAdminException}.
 * Close to release the HTTP client.
 */
public interface OrdererAdmin extends AutoCloseable {

    /** A client for {@code endpoint}; its {@link OrdererEndpoint#adminTlsClient()} authenticates the requests. */
    static OrdererAdmin connect(OrdererEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        return new ParticipationClient(endpoint);
    }

    /** Joins the node to the channel whose genesis (or latest config) block this is; returns what the node reports. */
    OrdererChannel joinChannel(Block configBlock);

    /** The channels the node participates in (name and url only). */
    List<OrdererChannel> listChannels();

    /** The node's view of one channel, empty when it does not participate in it. */
    Optional<OrdererChannel> channel(String channelId);

    /** Removes the node from a channel. */
    void removeChannel(String channelId);

    /** Releases the HTTP client. */
    @Override
    void close();
}
