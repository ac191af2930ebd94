package io.sandbox.dashboard.evidence;

import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.evidence.ManifestSigner;
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

/** Evidence bundles (docs/evidence.md) and the root certificate that signs them. */
@Path("/api/v1")
@Tag(name = "Evidence")
public class EvidenceResource {

    /** The media type of a bundle. */
    static final String ZIP = "application/zip";

    private final EvidenceService evidence;
    private final EvidenceSigning signing;
    private final SecurityIdentity identity;

    EvidenceResource(EvidenceService evidence, EvidenceSigning signing, SecurityIdentity identity) {
        this.evidence = evidence;
        this.signing = signing;
        this.identity = identity;
    }

    @GET
    @Path("startups/{startup}/evidence")
    @Produces(ZIP)
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR, Roles.STARTUP})
    @Operation(summary = "The evidence bundle (zip) of a startup over [from, to): ISO dates (whole UTC days) or"
            + " instants. Regulators and auditors: any startup; a startup: its own.")
    public Response export(@PathParam("startup") String startup, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        return stream(evidence, evidence.prepare(Caller.of(identity), startup, from, to));
    }

    @GET
    @Path("evidence/signing-root")
    @Produces("application/x-pem-file")
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR, Roles.STARTUP})
    @Operation(summary = "The platform's evidence root certificate (PEM), to pin with the verifier's --trust-root")
    public String signingRoot() {
        return ManifestSigner.pem(signing.root());
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
