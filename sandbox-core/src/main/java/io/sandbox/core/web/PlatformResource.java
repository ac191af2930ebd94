package io.sandbox.core.web;

import io.sandbox.core.platform.PlatformProbe;
import io.sandbox.core.platform.PlatformStatus;
import io.sandbox.core.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What this service runs against; for supervisors and auditors, not for startups. */
@Path("/api/v1/platform/status")
@Tag(name = "Platform")
public class PlatformResource {

    private final PlatformProbe probe;

    PlatformResource(PlatformProbe probe) {
        this.probe = probe;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
    @Operation(summary = "The database, schema version and identity realm this service uses")
    public PlatformStatus status() {
        return probe.status();
    }
}
