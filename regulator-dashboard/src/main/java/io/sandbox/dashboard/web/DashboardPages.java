package io.sandbox.dashboard.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.platform.PlatformProbe;
import io.sandbox.core.platform.PlatformStatus;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import io.sandbox.core.web.ProblemException;
import io.sandbox.dashboard.alerts.AlertService;
import io.sandbox.dashboard.alerts.AlertViews;
import io.sandbox.dashboard.ledger.LedgerQueries;
import io.sandbox.dashboard.ledger.LedgerViews;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The regulator's and auditor's pages: a public landing page and the signed-in dashboard. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class DashboardPages {

    private static final String LOGOUT = "/dashboard/logout";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing();

        static native TemplateInstance dashboard(Caller caller, String logoutPath, PlatformStatus status);

        static native TemplateInstance overview(Overview.View overview);

        static native TemplateInstance alerts(List<Panels.AlertRow> alerts, boolean regulator);

        static native TemplateInstance risk(List<Panels.RiskRow> risk);

        static native TemplateInstance transaction(Caller caller, String logoutPath, LedgerViews.Transaction tx);
    }

    private final SecurityIdentity identity;
    private final PlatformProbe probe;
    private final Overview overview;
    private final LedgerQueries ledger;

    private final Panels panels;
    private final AlertService alerts;

    DashboardPages(SecurityIdentity identity, PlatformProbe probe, Overview overview, LedgerQueries ledger,
            Panels panels, AlertService alerts) {
        this.panels = panels;
        this.alerts = alerts;
        this.identity = identity;
        this.probe = probe;
        this.overview = overview;
        this.ledger = ledger;
    }

    @GET
    @PermitAll
    public TemplateInstance landing() {
        return Templates.landing();
    }

    @GET
    @Path("dashboard")
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
    public TemplateInstance dashboard() {
        return Templates.dashboard(Caller.of(identity), LOGOUT, probe.status());
    }

    /** The overview table, refreshed by the page every few seconds. */
    @GET
    @Path("dashboard/overview")
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
    public TemplateInstance overview() {
        return Templates.overview(overview.view());
    }

    /** Open and acknowledged alerts, refreshed by the page; new ones also arrive over the live feed. */
    @GET
    @Path("dashboard/alerts")
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
    public TemplateInstance alerts() {
        return Templates.alerts(panels.alerts(), Caller.of(identity).is(Roles.REGULATOR));
    }

    /** Every startup's risk score with its components and the last day's chart. */
    @GET
    @Path("dashboard/risk")
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
    public TemplateInstance risk() {
        return Templates.risk(panels.risk());
    }

    /** The alert workflow for the page's buttons (signed-in session); as {@code POST /api/v1/alerts/{id}/transitions}. */
    @jakarta.ws.rs.POST
    @Path("dashboard/alerts/{id}/transitions")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGULATOR)
    public AlertViews.AlertDetail transition(@PathParam("id") String id,
            AlertViews.TransitionRequest body) {
        long alert;
        try {
            alert = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Alert '" + id + "'");
        }
        return alerts.transition(Caller.of(identity).username(), alert, body);
    }

    /** One transaction, decoded, with its block. */
    @GET
    @Path("dashboard/transactions/{txId}")
    @RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
    public TemplateInstance transaction(@PathParam("txId") String txId) {
        return Templates.transaction(Caller.of(identity), LOGOUT, ledger.transaction(txId));
    }
}
