package io.sandbox.onboarding.provisioning;

/** Where a provisioning stands. */
public enum ProvisioningStatus {
    /** Accepted, but this service has no Fabric network configured ({@code sandbox.fabric.*}); runs once it has. */
    WAITING_FOR_NETWORK,
    /** Accepted (or retried), waiting for the worker. */
    PENDING,
    /** The worker has started it; {@code currentStep} is the step in progress or next. */
    RUNNING,
    /** Every step done. */
    READY,
    /** A step failed; its error is kept and a regulator may retry. */
    FAILED;

    /** Whether the worker should pick it up. */
    public boolean runnable() {
        return this == WAITING_FOR_NETWORK || this == PENDING || this == RUNNING;
    }
}
