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
 * The live transaction feed for API clients (bearer token), as {@link LiveFeedResource} serves it to the page. On its
 * own root: under a class rooted at {@code /}, {@code /api/v1/feed} lost to the class rooted at {@code /api/v1} (404).
 */
@Path("/api/v1/feed")
@RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
public class LiveFeedApiResource {

    private final LiveFeed feed;

    LiveFeedApiResource(LiveFeed feed) {
        this.feed = feed;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void feed(@Context SseEventSink sink, @Context Sse sse, @QueryParam("channel") String channel) {
        feed.attach(sink, sse, channel);
    }
}
