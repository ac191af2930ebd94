package io.sandbox.onboarding.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The startup portal: a public landing page and the signed-in portal of a startup member or a regulator. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PortalPages {

    private static final String LOGOUT = "/portal/logout";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing();

        static native TemplateInstance portal(Caller caller, String logoutPath);
    }

    private final SecurityIdentity identity;

    PortalPages(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @PermitAll
    public TemplateInstance landing() {
        return Templates.landing();
    }

    @GET
    @Path("portal")
    @RolesAllowed({Roles.STARTUP, Roles.REGULATOR})
    public TemplateInstance portal() {
        return Templates.portal(Caller.of(identity), LOGOUT);
    }
}
