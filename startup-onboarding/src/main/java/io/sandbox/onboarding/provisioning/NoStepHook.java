package io.sandbox.onboarding.provisioning;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** The production {@link StepHook}: none. */
@DefaultBean
@ApplicationScoped
class NoStepHook implements StepHook {

    @Override
    public void afterStep(ProvisioningStep step, String slug) {
        // nothing
    }
}
