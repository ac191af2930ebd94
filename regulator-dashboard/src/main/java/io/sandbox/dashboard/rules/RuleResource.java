package io.sandbox.dashboard.rules;

import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import io.sandbox.core.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Policy rules: read by regulators and auditors, changed (and backtested) by regulators only. */
@Path("/api/v1/rules")
@Tag(name = "Rules")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.REGULATOR, Roles.AUDITOR})
public class RuleResource {

    private final RuleStore store;
    private final RuleService rules;
    private final BacktestService backtests;
    private final SecurityIdentity identity;

    RuleResource(RuleStore store, RuleService rules, BacktestService backtests, SecurityIdentity identity) {
        this.store = store;
        this.rules = rules;
        this.backtests = backtests;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Every rule with its current version")
    public List<RuleViews.Rule> list() {
        return store.current().stream().map(RuleResource::view).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A rule with its current version")
    public RuleViews.Rule get(@PathParam("id") String id) {
        return view(store.find(id).orElseThrow(() -> ProblemException.notFound("Rule '" + id + "'")));
    }

    @GET
    @Path("{id}/versions")
    @Operation(summary = "Every version of a rule, newest first, with who changed it and why")
    public RuleViews.Versions versions(@PathParam("id") String id) {
        List<RuleStore.Stored> all = store.versions(id);
        if (all.isEmpty()) {
            throw ProblemException.notFound("Rule '" + id + "'");
        }
        return new RuleViews.Versions(id, all.get(0).origin().name(), all.stream().map(RuleStore.Stored::version).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGULATOR)
    @Operation(summary = "Creates a rule (compiled first: 400 with line and column when it does not)")
    public Response create(RuleViews.RuleRequest body) {
        RuleViews.Rule rule = view(rules.create(caller(), body));
        return Response.status(Response.Status.CREATED).entity(rule)
                .location(java.net.URI.create("/api/v1/rules/" + rule.id())).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGULATOR)
    @Operation(summary = "A new version of a regulator's rule; reason required")
    public RuleViews.Rule update(@PathParam("id") String id, RuleViews.RuleRequest body) {
        return view(rules.update(caller(), id, body));
    }

    @POST
    @Path("{id}/mode")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGULATOR)
    @Operation(summary = "Changes a rule's mode (TEST, ACTIVE, DISABLED) as a new version; reason required")
    public RuleViews.Rule mode(@PathParam("id") String id, RuleViews.ModeRequest body) {
        return view(rules.mode(caller(), id, body));
    }

    @POST
    @Path("backtest")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGULATOR)
    @Operation(summary = "Runs a draft rule over a startup's stored transactions of a period: what it would have flagged")
    public RuleViews.BacktestResult backtest(RuleViews.BacktestRequest body) {
        return backtests.run(body);
    }

    private Caller caller() {
        return Caller.of(identity);
    }

    private static RuleViews.Rule view(RuleStore.Stored s) {
        return new RuleViews.Rule(s.id(), s.origin().name(), s.currentVersion(), s.version());
    }
}
