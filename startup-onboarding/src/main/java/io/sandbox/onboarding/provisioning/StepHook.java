package io.sandbox.onboarding.provisioning;

/**
 * Called after a step's work and before its outcome is committed. The default does nothing; tests replace it to
 * simulate a crash at exactly that point (the world has the step's effects, the database does not).
 */
interface StepHook {

    void afterStep(ProvisioningStep step, String slug);
}
