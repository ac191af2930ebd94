package io.sandbox.dashboard.live;

import io.sandbox.core.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * The live transaction feed as server-sent events ({@code tx} events with a {@link FeedItem} as JSON, {@code gap}
 * events when the client was too slow) for the dashboard page with its session; API clients use
 * {@link LiveFeedApiResource}.
 */
@Path("/")
@RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
public class LiveFeedResource {

    private final LiveFeed feed;

    LiveFeedResource(LiveFeed feed) {
        this.feed = feed;
    }

    /** For the dashboard page (signed-in session). */
    @GET
    @Path("dashboard/live/feed")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void pageFeed(@Context SseEventSink sink, @Context Sse sse, @QueryParam("channel") String channel) {
        feed.attach(sink, sse, channel);
    }
}
