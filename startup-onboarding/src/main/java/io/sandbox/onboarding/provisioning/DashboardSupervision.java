package io.sandbox.onboarding.provisioning;

import io.sandbox.onboarding.review.Permit;
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

    @ActivateRequestContext
    void ensure(Provisioning p) {
        if (publisher.isEmpty()) {
            LOG.infof("No dashboard configured (sandbox.provisioning.dashboard-url): %s is not registered for supervision",
                    p.slug);
            return;
        }
        Permit permit = Permit.findById(p.permitId);
        if (permit == null) {
            throw new IllegalStateException("the permit " + p.permitId + " of " + p.slug + " is missing");
        }
        publisher.get().publish(p.slug, p.channelId, p.mspId, permit.terms(),
                "Permit issued by " + permit.issuedBy + " at the admission of " + p.legalName);
    }
}
