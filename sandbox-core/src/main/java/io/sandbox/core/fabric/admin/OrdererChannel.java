package io.sandbox.core.fabric.admin;

import java.util.Objects;

/**
 * A channel as the participation API describes it ({@code ChannelInfo}; the list endpoint only fills name and url).
 *
 * @param name              channel id
 * @param url               the channel's resource path, e.g. {@code /participation/v1/channels/ch1}
 * @param consensusRelation {@code consenter}, {@code follower}, ... ({@code null} in listings)
 * @param status            {@code active}, {@code onboarding}, ... ({@code null} in listings)
 * @param height            ledger height (0 in listings)
 */
public record OrdererChannel(String name, String url, String consensusRelation, String status, long height) {

    /** Checks the name. */
    public OrdererChannel {
        Objects.requireNonNull(name, "name");
    }
}
