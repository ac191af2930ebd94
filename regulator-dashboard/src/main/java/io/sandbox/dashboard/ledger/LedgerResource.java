package io.sandbox.dashboard.ledger;

import io.sandbox.core.security.Roles;
import io.sandbox.core.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The ingested ledgers: channels, their blocks, and decoded transactions. For supervisors and auditors. */
@Path("/api/v1")
@Tag(name = "Ledger")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
public class LedgerResource {

    private static final int MAX_LIMIT = 1000;

    private final LedgerQueries queries;

    LedgerResource(LedgerQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("channels")
    @Operation(summary = "Every ingested channel: heights, lag, status and counts")
    public LedgerViews.Channels channels() {
        return queries.channels();
    }

    @GET
    @Path("channels/{channel}/blocks")
    @Operation(summary = "Stored block headers of a channel from block 'from' on, at most 'limit' (1-1000)")
    public LedgerViews.Blocks blocks(@PathParam("channel") String channel, @QueryParam("from") String from,
            @QueryParam("limit") String limit) {
        long first = parse("from", from, 0, 0, Long.MAX_VALUE);
        int count = (int) parse("limit", limit, 100, 1, MAX_LIMIT);
        return queries.blocks(channel, first, count);
    }

    @GET
    @Path("transactions/{txId}")
    @Operation(summary = "A decoded transaction with its block number and block header hash")
    public LedgerViews.Transaction transaction(@PathParam("txId") String txId) {
        return queries.transaction(txId);
    }

    private static long parse(String name, String value, long fallback, long min, long max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("Query parameter '" + name + "' must be a whole number from " + min
                + (max == Long.MAX_VALUE ? " on" : " to " + max) + "; got '" + value + "'.");
    }
}
