package io.sandbox.dashboard.alerts;

import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import io.sandbox.core.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Alerts. Regulators and auditors see every alert; a startup member sees only its own startup's alerts (rule alerts
 * about its transactions, never another startup's or integrity alerts). Only regulators move alerts on.
 */
@Path("/api/v1/alerts")
@Tag(name = "Alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    private static final int MAX_LIMIT = 500;

    private final AlertService alerts;
    private final SecurityIdentity identity;

    AlertResource(AlertService alerts, SecurityIdentity identity) {
        this.alerts = alerts;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR, Roles.STARTUP})
    @Operation(summary = "Alerts, newest first, filtered by status, startup, severity and kind; paged by offset/limit")
    public AlertViews.Page list(@QueryParam("status") String status, @QueryParam("startup") String startup,
            @QueryParam("severity") String severity, @QueryParam("kind") String kind,
            @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Caller caller = Caller.of(identity);
        check("status", status, AlertService.STATUSES);
        check("severity", severity, List.of("LOW", "MEDIUM", "HIGH", "SEVERE"));
        check("kind", kind, List.of("RULE", "INTEGRITY"));
        String scopedStartup = startup;
        String scopedKind = upper(kind);
        if (!staff(caller)) {
            String own = caller.tenant().orElse("\u0000none");
            if (startup != null && !startup.isBlank() && !startup.equals(own)) {
                return new AlertViews.Page(0, 0, 0, List.of());
            }
            scopedStartup = own;
            if (scopedKind != null && !"RULE".equals(scopedKind)) {
                return new AlertViews.Page(0, 0, 0, List.of());
            }
            scopedKind = "RULE";
        }
        return alerts.list(new AlertService.Filter(upper(status), scopedStartup, upper(severity), scopedKind),
                (int) number("offset", offset, 0, 0, 1_000_000), (int) number("limit", limit, 50, 1, MAX_LIMIT));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR, Roles.STARTUP})
    @Operation(summary = "An alert with its workflow transitions")
    public AlertViews.AlertDetail get(@PathParam("id") String id) {
        AlertViews.AlertDetail detail = alerts.get(id(id));
        Caller caller = Caller.of(identity);
        if (!staff(caller) && !("RULE".equals(detail.alert().kind())
                && caller.tenant().map(t -> t.equals(detail.alert().startup())).orElse(false))) {
            throw ProblemException.notFound("Alert " + id);
        }
        return detail;
    }

    @POST
    @Path("{id}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGULATOR)
    @Operation(summary = "Moves an alert on: OPEN → ACKNOWLEDGED, OPEN|ACKNOWLEDGED → RESOLVED|FALSE_POSITIVE")
    public AlertViews.AlertDetail transition(@PathParam("id") String id, AlertViews.TransitionRequest body) {
        return alerts.transition(Caller.of(identity).username(), id(id), body);
    }

    private static boolean staff(Caller caller) {
        return caller.is(Roles.REGULATOR) || caller.is(Roles.AUDITOR);
    }

    private static String upper(String s) {
        return s == null || s.isBlank() ? null : s.strip().toUpperCase(Locale.ROOT);
    }

    private static void check(String name, String value, List<String> allowed) {
        if (value != null && !value.isBlank() && !allowed.contains(upper(value))) {
            throw ProblemException.badRequest("Query parameter '" + name + "' must be one of " + allowed + "; got '"
                    + value + "'.");
        }
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Alert '" + id + "'");
        }
    }

    static long number(String name, String value, long fallback, long min, long max) {
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
        throw ProblemException.badRequest("Query parameter '" + name + "' must be a whole number from " + min + " to "
                + max + "; got '" + value + "'.");
    }
}
