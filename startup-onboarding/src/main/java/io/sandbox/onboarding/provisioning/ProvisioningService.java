package io.sandbox.onboarding.provisioning;

import io.sandbox.core.platform.IdentityConfig;
import io.sandbox.core.web.Problem;
import io.sandbox.core.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The provisioning pipeline's entry point and queries. The approval flow calls {@link #request} once an application is
 * approved; a worker then provisions the startup's Fabric organisation, peer, channel and chaincode and its Keycloak
 * tenant, resuming after crashes.
 *
 * <pre>{@code
 * UUID id = provisioning.request(new StartupAdmission(application.id, "Acme Pay Ltd", "acme-pay",
 *         List.of(new Representative("Ada Lovelace", "ada@acme.example")), permit.id));
 * }</pre>
 */
@ApplicationScoped
public class ProvisioningService {

    private final FabricAccess fabric;
    private final FabricSteps fabricSteps;
    private final ProvisioningRunner runner;
    private final KeycloakTenant keycloak;
    private final IdentityConfig identity;
    private final Event<ProvisioningWorker.Wake> wake;
    private final Clock clock = Clock.systemUTC();

    ProvisioningService(FabricAccess fabric, FabricSteps fabricSteps, ProvisioningRunner runner, KeycloakTenant keycloak,
            IdentityConfig identity, Event<ProvisioningWorker.Wake> wake) {
        this.fabric = fabric;
        this.fabricSteps = fabricSteps;
        this.runner = runner;
        this.keycloak = keycloak;
        this.identity = identity;
        this.wake = wake;
    }

    /**
     * Queues the admitted startup's provisioning; joins the caller's transaction, and the worker starts once it
     * commits. Idempotent: a second request for the same application returns the first one's id.
     *
     * @return the provisioning's id
     * @throws ProblemException 409 if the slug is taken by another application's provisioning
     */
    @Transactional
    public UUID request(StartupAdmission admission) {
        Objects.requireNonNull(admission, "admission");
        Optional<Provisioning> existing = Provisioning.find("applicationId", admission.applicationId()).firstResultOptional();
        if (existing.isPresent()) {
            return existing.get().id;
        }
        String mspId = Provisioning.mspId(admission.slug());
        if (Provisioning.count("slug = ?1 or mspId = ?2", admission.slug(), mspId) > 0) {
            throw ProblemException.conflict("The startup name '" + admission.slug()
                    + "' (or its Fabric MSP id " + mspId + ") is already provisioned for another application.");
        }
        Provisioning p = Provisioning.of(admission,
                fabric.configured() ? ProvisioningStatus.PENDING : ProvisioningStatus.WAITING_FOR_NETWORK, clock.instant());
        p.persist();
        wake.fire(new ProvisioningWorker.Wake(p.id));
        return p.id;
    }

    /** Every provisioning, newest first, without step logs. */
    @Transactional
    public List<ProvisioningView> list() {
        return Provisioning.<Provisioning>find("order by requestedAt desc").list().stream()
                .map(p -> ProvisioningView.of(p, List.of())).toList();
    }

    /** One provisioning with its step log. */
    @Transactional
    public ProvisioningView get(UUID id) {
        return ProvisioningView.of(find(id), log(id));
    }

    /** The provisioning of an application, if requested. */
    @Transactional
    public Optional<ProvisioningView> forApplication(UUID applicationId) {
        return Provisioning.<Provisioning>find("applicationId", applicationId).firstResultOptional()
                .map(p -> ProvisioningView.of(p, log(p.id)));
    }

    /**
     * Sends a FAILED provisioning back to the worker, at the step that failed.
     *
     * @throws ProblemException 404 if unknown, 409 if it has not failed
     */
    @Transactional
    public ProvisioningView retry(UUID id) {
        Provisioning p = Provisioning.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (p == null) {
            throw ProblemException.notFound("Provisioning " + id);
        }
        if (p.status != ProvisioningStatus.FAILED) {
            throw ProblemException.conflict("Provisioning " + id + " is " + p.status + "; only a FAILED one can be retried.");
        }
        runner.retry(p);
        if (!fabric.configured()) {
            p.status = ProvisioningStatus.WAITING_FOR_NETWORK;
        }
        wake.fire(new ProvisioningWorker.Wake(p.id));
        return ProvisioningView.of(p, log(id));
    }

    /** The tenant's own sandbox. */
    @Transactional
    public MySandbox mine(String tenant) {
        return MySandbox.of(byTenant(tenant));
    }

    /**
     * The tenant's bundle: its client identity, opened from the sealed store for this download only.
     *
     * @throws ProblemException 404 without a sandbox, 409 until it is READY
     */
    @Transactional
    public byte[] bundle(String tenant) {
        Provisioning p = byTenant(tenant);
        if (p.status != ProvisioningStatus.READY) {
            throw new ProblemException(Problem.of("sandbox-not-ready", "Sandbox Not Ready", 409,
                    "Your sandbox is " + p.status + " at step " + p.currentStep + "; the bundle is available once it is READY."));
        }
        return SandboxBundle.zip(p, fabricSteps.material(p).user(), keycloak.apiClientSecret(p),
                identity.realmUrl() + "/protocol/openid-connect/token");
    }

    private static Provisioning byTenant(String tenant) {
        return Provisioning.<Provisioning>find("slug", tenant).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("A sandbox for your startup"));
    }

    private static Provisioning find(UUID id) {
        Provisioning p = Provisioning.findById(id);
        if (p == null) {
            throw ProblemException.notFound("Provisioning " + id);
        }
        return p;
    }

    private static List<ProvisioningStepLog> log(UUID id) {
        return ProvisioningStepLog.<ProvisioningStepLog>find("provisioningId = ?1 order by id", id).list();
    }
}
