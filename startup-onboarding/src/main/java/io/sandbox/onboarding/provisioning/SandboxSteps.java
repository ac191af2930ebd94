package io.sandbox.onboarding.provisioning;

import jakarta.enterprise.context.ApplicationScoped;

/** The real steps: Fabric through the admin protocols, then Keycloak through its admin API, then the dashboard. */
@ApplicationScoped
class SandboxSteps implements ProvisioningMachine.Steps {

    private final FabricSteps fabric;
    private final KeycloakTenant keycloak;
    private final DashboardSupervision supervision;
    private final StepHook hook;

    SandboxSteps(FabricSteps fabric, KeycloakTenant keycloak, DashboardSupervision supervision, StepHook hook) {
        this.fabric = fabric;
        this.keycloak = keycloak;
        this.supervision = supervision;
        this.hook = hook;
    }

    @Override
    public void run(ProvisioningStep step, Provisioning p) {
        switch (step) {
            case ORGANISATION -> fabric.organisation(p);
            case PEER -> fabric.peer(p);
            case CHANNEL -> fabric.channel(p);
            case CHAINCODE -> fabric.chaincode(p);
            case KEYCLOAK -> keycloak.ensure(p);
            case SUPERVISION -> supervision.ensure(p);
            case READY -> throw new IllegalStateException("READY has no work");
        }
        hook.afterStep(step, p.slug);
    }
}
