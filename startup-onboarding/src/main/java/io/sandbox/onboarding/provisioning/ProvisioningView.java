package io.sandbox.onboarding.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A provisioning as the regulator sees it.
 *
 * @param steps every attempt of every step, oldest first (empty in lists)
 */
public record ProvisioningView(UUID id, UUID applicationId, UUID permitId, String slug, String legalName, String mspId,
        String channelId, ProvisioningStatus status, ProvisioningStep currentStep, String error, Instant requestedAt,
        Instant updatedAt, Instant readyAt, List<StepAttempt> steps) {

    /** One attempt of a step; {@code outcome} is DONE, FAILED or INTERRUPTED, null while it runs. */
    public record StepAttempt(ProvisioningStep step, Instant startedAt, Instant finishedAt, String outcome, String error) {
    }

    static ProvisioningView of(Provisioning p, List<ProvisioningStepLog> log) {
        return new ProvisioningView(p.id, p.applicationId, p.permitId, p.slug, p.legalName, p.mspId, p.channelId,
                p.status, p.currentStep, p.lastError, p.requestedAt, p.updatedAt, p.readyAt,
                log.stream().map(e -> new StepAttempt(e.step, e.startedAt, e.finishedAt,
                        e.outcome == null ? null : e.outcome.name(), e.error)).toList());
    }
}
