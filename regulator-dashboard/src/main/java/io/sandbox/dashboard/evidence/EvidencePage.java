package io.sandbox.dashboard.evidence;

import io.agroal.api.AgroalDataSource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.evidence.ManifestSigner;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The export page of the signed-in dashboard: pick a startup and a period, download the bundle. */
@Path("/dashboard/exports")
@RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
public class EvidencePage {

    /** A startup in the picker. */
    public record StartupOption(String name, String label) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance exports(Caller caller, String logoutPath, List<StartupOption> startups,
                String from, String to);
    }

    private final SecurityIdentity identity;
    private final AgroalDataSource dataSource;
    private final EvidenceService evidence;
    private final EvidenceSigning signing;

    EvidencePage(SecurityIdentity identity, AgroalDataSource dataSource, EvidenceService evidence,
            EvidenceSigning signing) {
        this.identity = identity;
        this.dataSource = dataSource;
        this.evidence = evidence;
        this.signing = signing;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() throws SQLException {
        List<StartupOption> startups = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select name, coalesce(display_name, name), channel from startup order by name");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                startups.add(new StartupOption(r.getString(1), r.getString(2) + " (" + r.getString(3) + ")"));
            }
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return Templates.exports(Caller.of(identity), "/dashboard/logout", startups, today.minusDays(30).toString(),
                today.toString());
    }

    /** The root certificate to pin, as a download. */
    @GET
    @Path("signing-root")
    @Produces("application/x-pem-file")
    public Response signingRoot() {
        return Response.ok(ManifestSigner.pem(signing.root()))
                .header("Content-Disposition", "attachment; filename=\"sandbox-evidence-root.pem\"").build();
    }

    /** The bundle, for the page's form (the session's sign-in instead of a bearer token). */
    @GET
    @Path("bundle")
    @Produces(EvidenceResource.ZIP)
    public Response bundle(@QueryParam("startup") String startup, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        return EvidenceResource.stream(evidence, evidence.prepare(Caller.of(identity),
                startup == null ? "" : startup, from, to));
    }
}
