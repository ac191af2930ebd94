package io.sandbox.onboarding.provisioning;

import java.time.Clock;
import java.util.Objects;

/**
 * The rules of a provisioning's progress, free of storage and I/O: steps run in {@link ProvisioningStep} order, one
 * at a time; a step that throws marks the provisioning FAILED with its error and stops; a retried provisioning goes
 * on from the step that failed. Every step checks the world before it acts, so running a step again after a crash
 * (the store rolled back while the world kept the step's effects) does nothing twice.
 */
final class ProvisioningMachine {

    /** Does the work of one step on a provisioning, recording what it produced on it. */
    @FunctionalInterface
    interface Steps {
        void run(ProvisioningStep step, Provisioning provisioning);
    }

    /** Records each attempt of a step. */
    interface Journal {
        /** An attempt starts; returns its handle. Kept even if the step's own transaction rolls back. */
        long started(Provisioning provisioning, ProvisioningStep step);

        /** The attempt ended: {@code error} is null on success. */
        void finished(long attempt, String error);
    }

    private final Steps steps;
    private final Journal journal;
    private final Clock clock;

    ProvisioningMachine(Steps steps, Journal journal, Clock clock) {
        this.steps = Objects.requireNonNull(steps, "steps");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs the provisioning's current step.
     *
     * @return whether there is more to do now (false once READY or FAILED, or if it was not runnable)
     */
    boolean advance(Provisioning p) {
        if (!p.status.runnable()) {
            return false;
        }
        ProvisioningStep step = p.currentStep;
        p.status = ProvisioningStatus.RUNNING;
        long attempt = journal.started(p, step);
        try {
            steps.run(step, p);
        } catch (RuntimeException e) {
            String error = describe(e);
            journal.finished(attempt, error);
            p.status = ProvisioningStatus.FAILED;
            p.lastError = step + ": " + error;
            p.updatedAt = clock.instant();
            return false;
        }
        journal.finished(attempt, null);
        p.currentStep = step.next();
        p.updatedAt = clock.instant();
        if (p.currentStep == ProvisioningStep.READY) {
            p.status = ProvisioningStatus.READY;
            p.readyAt = p.updatedAt;
            return false;
        }
        return true;
    }

    /** A failed provisioning goes back to the queue at the step that failed. */
    void retry(Provisioning p) {
        if (p.status != ProvisioningStatus.FAILED) {
            throw new IllegalStateException("only a FAILED provisioning can be retried; this one is " + p.status);
        }
        p.status = ProvisioningStatus.PENDING;
        p.lastError = null;
        p.updatedAt = clock.instant();
    }

    /** The exception's message with its causes', without class names of our own stack. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 2000; t = t.getCause()) {
            String message = t.getMessage();
            if (message == null || message.isBlank() || text.indexOf(message) >= 0) {
                continue;
            }
            if (!text.isEmpty()) {
                text.append(": ");
            }
            text.append(message);
        }
        return text.isEmpty() ? e.getClass().getSimpleName() : text.toString();
    }
}
