package io.sandbox.onboarding.provisioning;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs pending provisionings on one virtual thread: at start (resuming whatever a crash left), when a request
 * commits, and every poll interval. Without a Fabric network it does not start; requests wait.
 */
@ApplicationScoped
class ProvisioningWorker {

    private static final Logger LOG = Logger.getLogger(ProvisioningWorker.class);

    /** Fired when a provisioning was requested or retried; the worker wakes once that transaction commits. */
    record Wake(UUID id) {
    }

    private final ProvisioningRunner runner;
    private final ProvisioningConfig config;
    private final FabricAccess fabric;
    private final Semaphore signal = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    ProvisioningWorker(ProvisioningRunner runner, ProvisioningConfig config, FabricAccess fabric) {
        this.runner = runner;
        this.config = config;
        this.fabric = fabric;
    }

    void start(@Observes StartupEvent event) {
        if (!config.worker()) {
            LOG.info("Provisioning worker disabled (sandbox.provisioning.worker=false)");
            return;
        }
        if (!fabric.configured()) {
            LOG.warn("No Fabric network configured (sandbox.fabric.*): provisioning requests wait for one");
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("provisioning-worker").start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    void wake(@Observes(during = TransactionPhase.AFTER_SUCCESS) Wake event) {
        signal.release();
    }

    private void loop() {
        while (running) {
            try {
                for (UUID id : runner.runnable()) {
                    if (!running) {
                        return;
                    }
                    runner.runToEnd(id);
                }
            } catch (Throwable t) { // a step cut short (a crash of this step): the next round resumes it
                if (!running) {
                    return;
                }
                LOG.warnf("Provisioning round interrupted, resuming on the next round: %s", ProvisioningMachine.describe(t));
            }
            try {
                signal.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
