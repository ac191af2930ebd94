package io.sandbox.onboarding.provisioning;

import io.sandbox.core.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The regulator's view of provisionings, and retrying a failed one. */
@Path("/api/v1/provisionings")
@Tag(name = "Provisioning")
@RolesAllowed(Roles.REGULATOR)
@Produces(MediaType.APPLICATION_JSON)
public class ProvisioningResource {

    private final ProvisioningService service;

    ProvisioningResource(ProvisioningService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Every provisioning: status and current step")
    public List<ProvisioningView> list() {
        return service.list();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One provisioning with its step log (times, outcomes, errors)")
    public ProvisioningView get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @POST
    @Path("{id}/retry")
    @Operation(summary = "Retry a FAILED provisioning from the step that failed")
    public ProvisioningView retry(@PathParam("id") UUID id) {
        return service.retry(id);
    }
}
