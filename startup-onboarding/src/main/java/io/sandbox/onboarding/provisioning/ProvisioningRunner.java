package io.sandbox.onboarding.provisioning;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Runs provisionings step by step, each step in its own transaction that holds the provisioning's row lock
 * ({@code FOR NO KEY UPDATE SKIP LOCKED}): two workers, in this process or another, never run one provisioning, and a
 * worker that finds it locked moves on. The start of each attempt is committed at once, so an attempt cut short by a
 * crash stays in the log; the next run marks it INTERRUPTED and does the step again.
 */
@ApplicationScoped
class ProvisioningRunner {

    private final ProvisioningMachine machine;
    private final ProvisioningConfig config;
    private final Clock clock = Clock.systemUTC();

    ProvisioningRunner(SandboxSteps steps, ProvisioningConfig config) {
        this.config = config;
        this.machine = new ProvisioningMachine(steps, new DatabaseJournal(clock), clock);
    }

    /** Ids of provisionings with work left, oldest first. */
    List<UUID> runnable() {
        return QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager()
                .createQuery("select p.id from Provisioning p where p.status in :runnable order by p.requestedAt", UUID.class)
                .setParameter("runnable", List.of(ProvisioningStatus.WAITING_FOR_NETWORK, ProvisioningStatus.PENDING,
                        ProvisioningStatus.RUNNING))
                .getResultList());
    }

    /** Runs the provisioning's steps until it is READY or FAILED, or another worker holds it. */
    void runToEnd(UUID id) {
        while (advance(id)) {
            // next step
        }
    }

    /** Runs one step if the provisioning is runnable and not locked by another worker; returns whether more is to do. */
    boolean advance(UUID id) {
        return QuarkusTransaction.requiringNew().timeout((int) config.stepTimeout().toSeconds()).call(() -> {
            List<?> locked = Panache.getEntityManager().createNativeQuery("select id from provisioning where id = ?1"
                    + " and status in ('WAITING_FOR_NETWORK', 'PENDING', 'RUNNING') for no key update skip locked")
                    .setParameter(1, id).getResultList();
            if (locked.isEmpty()) {
                return false;
            }
            Provisioning p = Provisioning.findById(id);
            ProvisioningStepLog.update("outcome = ?1, finishedAt = ?2 where provisioningId = ?3 and finishedAt is null",
                    ProvisioningStepLog.Outcome.INTERRUPTED, clock.instant(), id);
            return machine.advance(p);
        });
    }

    /** Sends a failed provisioning back to the queue (the caller holds the transaction). */
    void retry(Provisioning p) {
        machine.retry(p);
    }

    /** The step log in the database; starts are committed in their own transaction. */
    private record DatabaseJournal(Clock clock) implements ProvisioningMachine.Journal {

        @Override
        public long started(Provisioning p, ProvisioningStep step) {
            return QuarkusTransaction.requiringNew().call(() -> {
                ProvisioningStepLog entry = new ProvisioningStepLog();
                entry.provisioningId = p.id;
                entry.step = step;
                entry.startedAt = clock.instant();
                entry.persist();
                return entry.id;
            });
        }

        @Override
        public void finished(long attempt, String error) {
            ProvisioningStepLog entry = ProvisioningStepLog.findById(attempt);
            Instant now = clock.instant();
            entry.finishedAt = now;
            entry.outcome = error == null ? ProvisioningStepLog.Outcome.DONE : ProvisioningStepLog.Outcome.FAILED;
            entry.error = error;
        }
    }
}
