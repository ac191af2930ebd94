package io.sandbox.onboarding.provisioning;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One later step's work, begun early beside the steps before it (it needs nothing they still produce), so that the
 * step itself only waits for it. At most one run per provisioning is under way in this process. A run lost with a crash
 * is begun again after the restart; a run that failed is done again by the step, which then reports its error. Both are
 * safe because the steps' work looks the world up before it changes it.
 */
final class Ahead {

    private static final Logger LOG = Logger.getLogger(Ahead.class);

    private final String what;
    private final Duration patience;
    private final ExecutorService executor;
    /** Runs begun and not yet taken by their step (one per provisioning that failed before the step, at most). */
    private final ConcurrentMap<UUID, Future<?>> runs = new ConcurrentHashMap<>();

    /**
     * @param what     the work, for messages ("the Keycloak tenant")
     * @param patience how long the step waits for a run under way before it fails
     */
    Ahead(String what, Duration patience, ExecutorService executor) {
        this.what = what;
        this.patience = patience;
        this.executor = executor;
    }

    /**
     * Begins the work for the provisioning unless a run of it is under way, or done and not yet taken. The work is made
     * here, on the caller's thread (e.g. read in its transaction); if that fails, nothing begins and the step will
     * meet the error itself.
     */
    void begin(UUID provisioning, Supplier<Runnable> work) {
        try {
            runs.computeIfAbsent(provisioning, id -> executor.submit(work.get()));
        } catch (RuntimeException e) {
            LOG.debugf("%s of %s not begun ahead: %s", what, provisioning, ProvisioningMachine.describe(e));
        }
    }

    /** The step: waits for the run begun earlier; without one, or if it failed, does the work now. */
    void finish(UUID provisioning, Supplier<Runnable> work) {
        Future<?> early = runs.remove(provisioning);
        if (early != null) {
            try {
                early.get(patience.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                LOG.debugf("%s of %s, begun ahead, failed (%s); doing it again", what, provisioning,
                        ProvisioningMachine.describe(e.getCause()));
            } catch (TimeoutException e) {
                early.cancel(true);
                throw new IllegalStateException(what + " was not done within " + patience);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        work.get().run();
    }
}
