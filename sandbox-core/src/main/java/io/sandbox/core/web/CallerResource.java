package io.sandbox.core.web;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tells a signed-in caller who the platform thinks they are. */
@Path("/api/v1/me")
@Tag(name = "Identity")
@Authenticated
public class CallerResource {

    private final SecurityIdentity identity;

    CallerResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's user name, platform roles and startup tenant")
    public Caller me() {
        return Caller.of(identity);
    }
}
