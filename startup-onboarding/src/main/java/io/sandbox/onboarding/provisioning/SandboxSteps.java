package io.sandbox.onboarding.provisioning;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The real steps: Fabric through the admin protocols, then Keycloak through its admin API, then the dashboard. The
 * last two need nothing the Fabric steps still produce, so their work runs beside them ({@link Ahead}): the Keycloak
 * tenant from the first step on, the dashboard's supervision once the channel exists (with CHAINCODE). Their own steps
 * then only wait for it.
 */
@ApplicationScoped
class SandboxSteps implements ProvisioningMachine.Steps {

    private final FabricSteps fabric;
    private final KeycloakTenant keycloak;
    private final DashboardSupervision supervision;
    private final StepHook hook;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Ahead tenantAhead;
    private final Ahead supervisionAhead;

    SandboxSteps(FabricSteps fabric, KeycloakTenant keycloak, DashboardSupervision supervision, StepHook hook,
            ProvisioningConfig config) {
        this.fabric = fabric;
        this.keycloak = keycloak;
        this.supervision = supervision;
        this.hook = hook;
        this.tenantAhead = new Ahead("the Keycloak tenant", config.stepTimeout(), executor);
        this.supervisionAhead = new Ahead("the dashboard's supervision", config.stepTimeout(), executor);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    @Override
    public void run(ProvisioningStep step, Provisioning p) {
        if (step.compareTo(ProvisioningStep.KEYCLOAK) < 0) {
            tenantAhead.begin(p.id, () -> tenantWork(p));
        }
        if (step == ProvisioningStep.CHAINCODE) {
            supervisionAhead.begin(p.id, () -> supervision.work(p));
        }
        switch (step) {
            case ORGANISATION -> fabric.organisation(p);
            case PEER -> fabric.peer(p);
            case CHANNEL -> fabric.channel(p);
            case CHAINCODE -> fabric.chaincode(p);
            case KEYCLOAK -> tenantAhead.finish(p.id, () -> tenantWork(p));
            case SUPERVISION -> supervisionAhead.finish(p.id, () -> supervision.work(p));
            case READY -> throw new IllegalStateException("READY has no work");
        }
        hook.afterStep(step, p.slug);
    }

    /** The tenant's work, on a copy of what it needs of the provisioning (whose entity stays with the step). */
    private Runnable tenantWork(Provisioning p) {
        KeycloakTenant.Tenant tenant = KeycloakTenant.Tenant.of(p);
        return () -> keycloak.ensure(tenant);
    }
}
