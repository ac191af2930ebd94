package io.sandbox.onboarding.provisioning;

import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import io.sandbox.core.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A startup's own sandbox: its status, and its credentials bundle once READY. Only the caller's tenant is visible. */
@Path("/api/v1/my/sandbox")
@Tag(name = "Provisioning")
@RolesAllowed(Roles.STARTUP)
public class MySandboxResource {

    private final ProvisioningService service;
    private final SecurityIdentity identity;

    MySandboxResource(ProvisioningService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's startup sandbox: provisioning status and names")
    public MySandbox status() {
        return service.mine(tenant());
    }

    @GET
    @Path("bundle")
    @Produces("application/zip")
    @Operation(summary = "The sandbox bundle (client identity, TLS CA, connection profile); 409 until READY")
    public Response bundle() {
        String tenant = tenant();
        return Response.ok(service.bundle(tenant))
                .header("Content-Disposition", "attachment; filename=\"sandbox-" + tenant + ".zip\"")
                .header("Cache-Control", "no-store").build();
    }

    private String tenant() {
        return Caller.of(identity).tenant().orElseThrow(() -> ProblemException.notFound("A sandbox for your startup"));
    }
}
