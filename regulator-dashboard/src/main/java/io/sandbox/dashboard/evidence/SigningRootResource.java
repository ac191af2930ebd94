package io.sandbox.dashboard.evidence;

import io.sandbox.core.evidence.ManifestSigner;
import io.sandbox.core.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The root certificate that signs evidence bundles, for the verifier's {@code --trust-root}. */
@Path("/api/v1/evidence/signing-root")
@Tag(name = "Evidence")
public class SigningRootResource {

    private final EvidenceSigning signing;

    SigningRootResource(EvidenceSigning signing) {
        this.signing = signing;
    }

    @GET
    @Produces("application/x-pem-file")
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR, Roles.STARTUP})
    @Operation(summary = "The platform's evidence root certificate (PEM), to pin with the verifier's --trust-root")
    public String signingRoot() {
        return ManifestSigner.pem(signing.root());
    }
}
