package io.sandbox.onboarding.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox.onboarding.provisioning.StartupAdmission.Representative;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The state machine's ordering, failure, retry and resume rules, with fake steps standing in for Fabric and Keycloak. */
class ProvisioningMachineTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    /** A fake world: each step's effect happens once however often the step runs (as the real steps check first). */
    private static final class FakeWorld implements ProvisioningMachine.Steps {
        final List<ProvisioningStep> calls = new ArrayList<>();
        final Set<ProvisioningStep> effects = new HashSet<>();
        ProvisioningStep failOnce;
        ProvisioningStep crashOnce;

        @Override
        public void run(ProvisioningStep step, Provisioning p) {
            calls.add(step);
            if (step == failOnce) {
                failOnce = null;
                throw new IllegalStateException("peer unreachable", new RuntimeException("connection refused"));
            }
            effects.add(step);
            if (step == crashOnce) {
                crashOnce = null;
                throw new Crash();
            }
        }
    }

    private static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    /** An in-memory step log. */
    private static final class FakeJournal implements ProvisioningMachine.Journal {
        final List<String> entries = new ArrayList<>();

        @Override
        public long started(Provisioning p, ProvisioningStep step) {
            entries.add(step + " started");
            return entries.size() - 1;
        }

        @Override
        public void finished(long attempt, String error) {
            String entry = entries.get((int) attempt);
            entries.set((int) attempt, entry.replace("started", error == null ? "done" : "failed: " + error));
        }
    }

    private final FakeWorld world = new FakeWorld();
    private final FakeJournal journal = new FakeJournal();
    private final ProvisioningMachine machine = new ProvisioningMachine(world, journal, CLOCK);

    private static Provisioning acme() {
        return Provisioning.of(new StartupAdmission(UUID.randomUUID(), "Acme Pay Ltd", "acme-pay",
                List.of(new Representative("Ada Lovelace", "Ada@Acme.example")), UUID.randomUUID()),
                ProvisioningStatus.PENDING, CLOCK.instant());
    }

    private void runToEnd(Provisioning p) {
        while (machine.advance(p)) {
            // next
        }
    }

    @Test
    void stepsRunOnceEachInOrderToReady() {
        Provisioning p = acme();

        runToEnd(p);

        assertThat(world.calls).containsExactly(ProvisioningStep.ORGANISATION, ProvisioningStep.PEER,
                ProvisioningStep.CHANNEL, ProvisioningStep.CHAINCODE, ProvisioningStep.KEYCLOAK,
                ProvisioningStep.SUPERVISION);
        assertThat(p.status).isEqualTo(ProvisioningStatus.READY);
        assertThat(p.currentStep).isEqualTo(ProvisioningStep.READY);
        assertThat(p.readyAt).isEqualTo(CLOCK.instant());
        assertThat(journal.entries).containsExactly("ORGANISATION done", "PEER done", "CHANNEL done", "CHAINCODE done",
                "KEYCLOAK done", "SUPERVISION done");
        assertThat(machine.advance(p)).isFalse();
        assertThat(world.calls).hasSize(6);
    }

    @Test
    void aFailedStepStopsWithItsErrorAndARetryResumesAtThatStep() {
        Provisioning p = acme();
        world.failOnce = ProvisioningStep.CHANNEL;

        runToEnd(p);

        assertThat(p.status).isEqualTo(ProvisioningStatus.FAILED);
        assertThat(p.currentStep).isEqualTo(ProvisioningStep.CHANNEL);
        assertThat(p.lastError).isEqualTo("CHANNEL: peer unreachable: connection refused");
        assertThat(journal.entries).last().isEqualTo("CHANNEL failed: peer unreachable: connection refused");
        assertThat(machine.advance(p)).as("a failed provisioning waits for a retry").isFalse();

        machine.retry(p);
        assertThat(p.status).isEqualTo(ProvisioningStatus.PENDING);
        assertThat(p.lastError).isNull();
        runToEnd(p);

        assertThat(p.status).isEqualTo(ProvisioningStatus.READY);
        assertThat(world.calls).containsExactly(ProvisioningStep.ORGANISATION, ProvisioningStep.PEER,
                ProvisioningStep.CHANNEL, ProvisioningStep.CHANNEL, ProvisioningStep.CHAINCODE, ProvisioningStep.KEYCLOAK,
                ProvisioningStep.SUPERVISION);
    }

    @Test
    void onlyAFailedProvisioningCanBeRetried() {
        Provisioning p = acme();
        assertThatThrownBy(() -> machine.retry(p)).isInstanceOf(IllegalStateException.class).hasMessageContaining("PENDING");
    }

    @Test
    void aCrashMidStepLeavesTheStepCurrentAndTheNextRunRedoesItWithoutDuplicatingItsEffect() {
        Provisioning p = acme();
        world.crashOnce = ProvisioningStep.KEYCLOAK;

        assertThatThrownBy(() -> runToEnd(p)).isInstanceOf(Crash.class);
        // the store rolls the step's transaction back: what is left is the state before KEYCLOAK ran
        assertThat(p.currentStep).isEqualTo(ProvisioningStep.KEYCLOAK);
        assertThat(journal.entries).last().isEqualTo("KEYCLOAK started");

        runToEnd(p);

        assertThat(p.status).isEqualTo(ProvisioningStatus.READY);
        assertThat(world.calls).containsExactly(ProvisioningStep.ORGANISATION, ProvisioningStep.PEER,
                ProvisioningStep.CHANNEL, ProvisioningStep.CHAINCODE, ProvisioningStep.KEYCLOAK, ProvisioningStep.KEYCLOAK,
                ProvisioningStep.SUPERVISION);
        assertThat(world.effects).hasSize(6);
    }

    @Test
    void aProvisioningWaitingForANetworkRunsOnceTheWorkerRuns() {
        Provisioning p = acme();
        p.status = ProvisioningStatus.WAITING_FOR_NETWORK;

        runToEnd(p);

        assertThat(p.status).isEqualTo(ProvisioningStatus.READY);
    }

    @Test
    void fabricNamesFollowTheSlug() {
        Provisioning p = acme();

        assertThat(p.mspId).isEqualTo("AcmepayMSP");
        assertThat(p.channelId).isEqualTo("sandbox-acme-pay");
        assertThat(p.domain()).isEqualTo("acme-pay.sandbox.local");
        assertThat(p.groupName()).isEqualTo("startup-acme-pay");
        assertThat(p.representatives).singleElement().satisfies(r -> assertThat(r.email).isEqualTo("ada@acme.example"));
    }

    @Test
    void anAdmissionRejectsBadSlugsAndMissingRepresentatives() {
        UUID id = UUID.randomUUID();
        List<Representative> reps = List.of(new Representative("Ada", "ada@acme.example"));
        assertThatThrownBy(() -> new StartupAdmission(id, "Acme", "Acme", reps, id)).hasMessageContaining("slug");
        assertThatThrownBy(() -> new StartupAdmission(id, "Acme", "acme-", reps, id)).hasMessageContaining("slug");
        assertThatThrownBy(() -> new StartupAdmission(id, "Acme", "acme", List.of(), id))
                .hasMessageContaining("representative");
    }
}
