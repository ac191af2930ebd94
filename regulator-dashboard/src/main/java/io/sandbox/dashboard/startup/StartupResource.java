package io.sandbox.dashboard.startup;

import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import io.sandbox.core.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Startups and their permits. A startup member sees only its own startup. */
@Path("/api/v1/startups")
@Tag(name = "Startups")
@Produces(MediaType.APPLICATION_JSON)
public class StartupResource {

    /** A startup with its current permit and the permit's history (newest first). */
    public record StartupView(String name, String channel, String mspId, java.time.Instant registeredAt,
            StartupRegistry.PermitVersion permit, List<StartupRegistry.PermitVersion> permitHistory) {
    }

    private final StartupRegistry registry;
    private final PermitService permits;
    private final SecurityIdentity identity;

    StartupResource(StartupRegistry registry, PermitService permits, SecurityIdentity identity) {
        this.registry = registry;
        this.permits = permits;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR, Roles.STARTUP})
    @Operation(summary = "The startups (a startup member: only its own) with their current permits")
    public List<StartupRegistry.Startup> list() {
        Caller caller = Caller.of(identity);
        return registry.all().stream().filter(s -> visible(caller, s.name())).toList();
    }

    @GET
    @Path("{name}")
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR, Roles.STARTUP})
    @Operation(summary = "A startup with its permit and the permit's versions")
    public StartupView get(@PathParam("name") String name) {
        requireVisible(Caller.of(identity), name);
        StartupRegistry.Startup s = registry.find(name).orElseThrow(() -> ProblemException.notFound("Startup '" + name + "'"));
        return new StartupView(s.name(), s.channel(), s.mspId(), s.registeredAt(), s.permit(), registry.permits(name));
    }

    @PUT
    @Path("{name}/permit")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGULATOR)
    @Operation(summary = "Sets the permit (a new version, audited); the permit rules follow it at once")
    public StartupView putPermit(@PathParam("name") String name, PermitService.PermitRequest body) {
        permits.put(Caller.of(identity).username(), name, body);
        return get(name);
    }

    /** Whether the caller may see the startup's data: regulators and auditors all, members their own. */
    public static boolean visible(Caller caller, String startup) {
        return caller.is(Roles.REGULATOR) || caller.is(Roles.AUDITOR)
                || caller.tenant().map(startup::equals).orElse(false);
    }

    /** 404 (not 403: another startup's existence is not disclosed) unless the caller may see the startup. */
    public static void requireVisible(Caller caller, String startup) {
        if (!visible(caller, startup)) {
            throw ProblemException.notFound("Startup '" + startup + "'");
        }
    }
}
