package io.sandbox.dashboard.evidence;

import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A startup's evidence bundle (docs/evidence.md). Its own root path: JAX-RS matches a request against one resource
 * class first, so these paths cannot be methods of a class rooted at {@code /api/v1}.
 */
@Path("/api/v1/startups/{startup}/evidence")
@Tag(name = "Evidence")
public class EvidenceResource {

    /** The media type of a bundle. */
    static final String ZIP = "application/zip";

    private final EvidenceService evidence;
    private final SecurityIdentity identity;

    EvidenceResource(EvidenceService evidence, SecurityIdentity identity) {
        this.evidence = evidence;
        this.identity = identity;
    }

    @GET
    @Produces(ZIP)
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR, Roles.STARTUP})
    @Operation(summary = "The evidence bundle (zip) of a startup over [from, to): ISO dates (whole UTC days) or"
            + " instants. Regulators and auditors: any startup; a startup: its own.")
    public Response export(@PathParam("startup") String startup, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        return stream(evidence, evidence.prepare(Caller.of(identity), startup, from, to));
    }

    /** The streamed response of a prepared export. */
    static Response stream(EvidenceService evidence, EvidenceService.Prepared prepared) {
        StreamingOutput body = out -> evidence.export(prepared, out);
        return Response.ok(body, ZIP)
                .header("Content-Disposition", "attachment; filename=\"" + prepared.scope().fileName() + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }
}
