package io.sandbox.onboarding;

import io.sandbox.onboarding.review.ApplicationApproved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Observes approvals after commit, as the provisioning pipeline will. */
@ApplicationScoped
public class ApprovalsSeen {

    private final List<UUID> committed = new CopyOnWriteArrayList<>();

    void onApproved(@Observes(during = TransactionPhase.AFTER_SUCCESS) ApplicationApproved event) {
        committed.add(event.applicationId());
    }

    public List<UUID> committed() {
        return List.copyOf(committed);
    }
}
