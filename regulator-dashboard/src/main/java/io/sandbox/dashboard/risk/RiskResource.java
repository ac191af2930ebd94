package io.sandbox.dashboard.risk;

import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import io.sandbox.core.web.ProblemException;
import io.sandbox.dashboard.startup.StartupRegistry;
import io.sandbox.dashboard.startup.StartupResource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A startup's risk score over time. A startup member sees only its own. */
@Path("/api/v1/startups/{name}/risk")
@Tag(name = "Risk")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.REGULATOR, Roles.AUDITOR, Roles.STARTUP})
public class RiskResource {

    private static final int MAX_POINTS = 10_000;

    private final RiskService risk;
    private final StartupRegistry startups;
    private final SecurityIdentity identity;

    RiskResource(RiskService risk, StartupRegistry startups, SecurityIdentity identity) {
        this.risk = risk;
        this.startups = startups;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The risk series in [from, to) (default: the last 24 hours; at most 10,000 points, the newest) "
            + "and the latest score with its components")
    public RiskService.Series series(@PathParam("name") String name, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        StartupResource.requireVisible(Caller.of(identity), name);
        if (startups.find(name).isEmpty()) {
            throw ProblemException.notFound("Startup '" + name + "'");
        }
        Instant end = instant("to", to, Instant.now().plusSeconds(1));
        Instant start = instant("from", from, end.minus(Duration.ofHours(24)));
        if (!start.isBefore(end)) {
            throw ProblemException.badRequest("Query parameter 'from' must be before 'to'.");
        }
        return risk.series(name, start, end, MAX_POINTS);
    }

    @GET
    @Path("latest")
    @Operation(summary = "The latest risk score with its components")
    public RiskService.Point latest(@PathParam("name") String name) {
        StartupResource.requireVisible(Caller.of(identity), name);
        RiskService.Point point = risk.latest(name);
        if (point == null) {
            throw ProblemException.notFound("A risk score of startup '" + name + "'");
        }
        return point;
    }

    static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("Query parameter '" + name + "' must be an ISO-8601 instant such as "
                    + "2026-01-31T12:00:00Z; got '" + value + "'.");
        }
    }
}
