package io.sandbox.onboarding.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A step's work begun ahead: one run at a time, the step waits for it, a failed run is done again by the step. */
class AheadTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> done = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final UUID acme = UUID.randomUUID();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Work that records itself once released. */
    private Supplier<Runnable> held(String name) {
        return () -> () -> {
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new IllegalStateException(e);
            }
            done.add(name);
        };
    }

    @Test
    void theStepWaitsForTheRunBegunAheadAndDoesNotDoTheWorkAgain() throws Exception {
        Ahead ahead = new Ahead("the tenant", Duration.ofSeconds(10), executor);
        ahead.begin(acme, held("ahead")); // ORGANISATION
        ahead.begin(acme, held("ahead again")); // PEER: under way already
        Thread step = Thread.ofVirtual().start(() -> ahead.finish(acme, held("by the step")));
        step.join(200);
        assertThat(step.isAlive()).as("the step waits while the run is under way").isTrue();
        assertThat(done).isEmpty();

        release.countDown();
        step.join(10_000);
        assertThat(step.isAlive()).isFalse();
        assertThat(done).containsExactly("ahead");
    }

    @Test
    void withoutARunBegunTheStepDoesTheWorkItself() {
        Ahead ahead = new Ahead("the tenant", Duration.ofSeconds(1), executor);
        ahead.finish(acme, () -> () -> done.add("by the step")); // e.g. resumed at the step after a restart
        assertThat(done).containsExactly("by the step");
    }

    @Test
    void aRunThatFailedIsDoneAgainByTheStepWhichReportsItsError() {
        AtomicInteger runs = new AtomicInteger();
        Supplier<Runnable> failing = () -> () -> {
            throw new IllegalStateException("Keycloak answered 503 (run " + runs.incrementAndGet() + ")");
        };
        Ahead ahead = new Ahead("the tenant", Duration.ofSeconds(10), executor);
        ahead.begin(acme, failing);
        assertThatThrownBy(() -> ahead.finish(acme, failing)).hasMessage("Keycloak answered 503 (run 2)");

        // the failed run was taken: a retry begins a new one
        ahead.begin(acme, failing);
        assertThatThrownBy(() -> ahead.finish(acme, failing)).hasMessage("Keycloak answered 503 (run 4)");
    }

    @Test
    void workThatCannotBeMadeIsNotBegunAndTheStepMeetsTheError() {
        Ahead ahead = new Ahead("the supervision", Duration.ofSeconds(1), executor);
        Supplier<Runnable> noPermit = () -> {
            throw new IllegalStateException("the permit of acme-pay is missing");
        };
        ahead.begin(acme, noPermit);
        assertThatThrownBy(() -> ahead.finish(acme, noPermit)).hasMessage("the permit of acme-pay is missing");
    }

    @Test
    void aRunLongerThanAStepMayTakeFailsTheStepAndIsCancelled() throws InterruptedException {
        Ahead ahead = new Ahead("the tenant", Duration.ofMillis(50), executor);
        ahead.begin(acme, held("ahead"));
        assertThatThrownBy(() -> ahead.finish(acme, held("by the step")))
                .hasMessage("the tenant was not done within PT0.05S");
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the run is cancelled, not left to race a retry").isTrue();
        assertThat(done).isEmpty();
    }

    @Test
    void eachProvisioningHasItsOwnRun() {
        Ahead ahead = new Ahead("the tenant", Duration.ofSeconds(10), executor);
        UUID beta = UUID.randomUUID();
        ahead.begin(acme, () -> () -> done.add("acme"));
        ahead.begin(beta, () -> () -> done.add("beta"));
        ahead.finish(beta, () -> () -> done.add("beta by the step"));
        ahead.finish(acme, () -> () -> done.add("acme by the step"));
        assertThat(done).containsExactlyInAnyOrder("acme", "beta");
    }
}
