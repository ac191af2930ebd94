package io.sandbox.onboarding.provisioning;

import io.sandbox.onboarding.review.Permit;
import io.sandbox.onboarding.review.PermitTerms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.Keycloak;

/**
 * The SUPERVISION step: the regulator dashboard learns the startup's channel, MSP and permit, so that ingestion
 * attributes the channel to the startup and the permit's boundaries become rules. It calls the dashboard as this
 * service's own account (the Keycloak admin client's client-credentials token). Without a configured dashboard there
 * is nothing to do.
 */
@ApplicationScoped
class DashboardSupervision {

    private static final Logger LOG = Logger.getLogger(DashboardSupervision.class);

    private final Optional<PermitPublisher> publisher;
    private final Supplier<String> token;

    DashboardSupervision(ProvisioningConfig config, Keycloak keycloak) {
        this.token = () -> keycloak.tokenManager().getAccessTokenString();
        this.publisher = config.dashboardUrl().map(url -> new PermitPublisher(url, token));
    }

    /** Takes this service's token for the dashboard (a warm-up at start); changes nothing. */
    @ActivateRequestContext
    void warm() {
        if (publisher.isPresent()) {
            token.get();
        }
    }

    /**
     * The step's work for the provisioning: what it needs (the permit) is read now, in the caller's transaction, so
     * that the work can run on any thread.
     */
    Runnable work(Provisioning p) {
        String slug = p.slug;
        if (publisher.isEmpty()) {
            return () -> LOG.infof("No dashboard configured (sandbox.provisioning.dashboard-url): %s is not registered "
                    + "for supervision", slug);
        }
        Permit permit = Permit.findById(p.permitId);
        if (permit == null) {
            throw new IllegalStateException("the permit " + p.permitId + " of " + slug + " is missing");
        }
        String channel = p.channelId;
        String mspId = p.mspId;
        PermitTerms terms = permit.terms();
        String reason = "Permit issued by " + permit.issuedBy + " at the admission of " + p.legalName;
        return () -> publish(slug, channel, mspId, terms, reason);
    }

    /** Intercepted even when called from this bean's own work (ArC subclasses the bean): the admin client's token. */
    @ActivateRequestContext
    void publish(String slug, String channel, String mspId, PermitTerms terms, String reason) {
        publisher.orElseThrow().publish(slug, channel, mspId, terms, reason);
    }
}
