package io.sandbox.onboarding.provisioning;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test-only {@link StepHook}: fails or "crashes" one step of one startup, once. */
@ApplicationScoped
class FaultyStepHook implements StepHook {

    /** Stands for the process dying after the step's effects and before its commit. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String message) {
            super(message);
        }
    }

    private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
    private final Map<String, Boolean> crashes = new ConcurrentHashMap<>();

    void failOnce(String slug, ProvisioningStep step, String message) {
        failures.put(slug + "/" + step, new IllegalStateException(message));
    }

    void crashOnce(String slug, ProvisioningStep step) {
        crashes.put(slug + "/" + step, true);
    }

    @Override
    public void afterStep(ProvisioningStep step, String slug) {
        RuntimeException failure = failures.remove(slug + "/" + step);
        if (failure != null) {
            throw failure;
        }
        if (crashes.remove(slug + "/" + step) != null) {
            throw new SimulatedCrash("simulated crash after " + step + " of " + slug);
        }
    }
}
