package io.sandbox.onboarding.review;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * CDI event fired (synchronously, inside the approval's transaction) when a regulator approves an
 * application. Provisioning should observe it after commit, so that it never acts on an approval that
 * rolled back: {@code void on(@Observes(during = TransactionPhase.AFTER_SUCCESS) ApplicationApproved e)}.
 * The event is a nudge; the {@link ProvisioningRequest} row is the durable record to resume from.
 */
public record ApplicationApproved(UUID applicationId, String legalName, PermitTerms permit, Instant approvedAt) {

    public ApplicationApproved {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(legalName, "legalName");
        Objects.requireNonNull(permit, "permit");
        Objects.requireNonNull(approvedAt, "approvedAt");
    }
}
