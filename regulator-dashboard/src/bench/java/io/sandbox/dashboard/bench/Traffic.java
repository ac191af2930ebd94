package io.sandbox.dashboard.bench;

import io.grpc.ManagedChannel;
import io.sandbox.launcher.fabric.FabricNetwork;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.client.identity.Signer;

/**
 * An open-loop generator: {@code onboardCustomer} transactions through the fabric-gateway client as the startup's user,
 * the i-th sent at {@code start + i / rate} whatever became of the earlier ones, round robin over the channels.
 */
final class Traffic implements AutoCloseable {

    /** Told of each transaction once the gateway client has its commit status. */
    interface Committed {
        void committed(String txId, long nanoTime, Status status);
    }

    /** What a run achieved: committed counts those whose commit status came back, valid or not. */
    record Result(int sent, int committed, int valid, int failed, double seconds, double sendLagMillis) {
        double committedPerSecond() {
            return committed / seconds;
        }
    }

    private final ManagedChannel grpc;
    private final Gateway gateway;
    private final Signer signer;
    private final List<Contract> contracts;

    Traffic(StartupSandbox startup, List<String> channels) {
        grpc = startup.peer().openChannel();
        signer = startup.org().user().gatewaySigner();
        gateway = Gateway.newInstance().identity(startup.org().user().gatewayIdentity())
                .signer(startup.org().user().gatewaySigner()).connection(grpc)
                .endorseOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                .submitOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                .commitStatusOptions(o -> o.withDeadlineAfter(120, TimeUnit.SECONDS)).connect();
        contracts = channels.stream().map(c -> gateway.getNetwork(c).getContract(FabricNetwork.CHAINCODE)).toList();
    }

    /**
     * Sends at {@code rate} transactions per second for {@code duration}, then waits for every commit status.
     * {@code seconds} in the result runs from the first send to the last commit status.
     */
    Result run(double rate, Duration duration, Committed listener) {
        long period = (long) (1e9 / rate);
        int count = (int) (duration.toNanos() / period);
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger valid = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong last = new AtomicLong();
        long lag = 0;
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                lag += Math.max(0, System.nanoTime() - due);
                Contract contract = contracts.get(i % contracts.size());
                String ref = "bench-" + start + "-" + i;
                senders.execute(() -> {
                    try {
                        var submitted = contract.newProposal("onboardCustomer").addArguments(ref, "DE", "LOW").build()
                                .endorse().submitAsync();
                        Status status = submitted.getStatus();
                        long at = System.nanoTime();
                        last.accumulateAndGet(at, Math::max);
                        committed.incrementAndGet();
                        if (status.isSuccessful()) {
                            valid.incrementAndGet();
                        }
                        listener.committed(submitted.getTransactionId(), at, status);
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                });
            }
        }
        return new Result(count, committed.get(), valid.get(), failed.get(), (last.get() - start) / 1e9,
                lag / 1e6 / Math.max(1, count));
    }

    /**
     * Endorses and signs {@code count} {@code onboardCustomer} transactions now, for {@link #submit} to send later: the
     * load on the network while they are submitted is then ordering, validation and commit only, as in a network whose
     * clients endorse on machines of their own. Each writes a key of its own, so none conflicts with another.
     */
    List<Transaction> prepare(int count) throws InterruptedException {
        Transaction[] prepared = new Transaction[count];
        AtomicInteger failed = new AtomicInteger();
        Semaphore inFlight = new Semaphore(64);
        long start = System.nanoTime();
        try (ExecutorService endorsers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int index = i;
                inFlight.acquire();
                endorsers.execute(() -> {
                    try {
                        Transaction endorsed = contracts.get(index % contracts.size()).newProposal("onboardCustomer")
                                .addArguments("pre-" + start + "-" + index, "DE", "LOW").build().endorse();
                        prepared[index] = gateway.newSignedTransaction(endorsed.getBytes(),
                                signer.sign(endorsed.getDigest()));
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + count + " endorsements failed");
        }
        return List.of(prepared);
    }

    /** What an open-loop submission of prepared transactions achieved. */
    record Submission(List<String> txIds, int failed, double seconds, double sendLagMillis) {
    }

    /**
     * Submits prepared transactions open loop, the i-th at {@code start + i / rate}, without asking for commit
     * statuses (that would add a client signature per transaction); returns once every submit has been answered.
     */
    Submission submit(List<Transaction> transactions, double rate) {
        long period = (long) (1e9 / rate);
        AtomicInteger failed = new AtomicInteger();
        long lag = 0;
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < transactions.size(); i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                lag += Math.max(0, System.nanoTime() - due);
                Transaction transaction = transactions.get(i);
                senders.execute(() -> {
                    try {
                        transaction.submitAsync();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                });
            }
        }
        return new Submission(transactions.stream().map(Transaction::getTransactionId).toList(), failed.get(),
                (System.nanoTime() - start) / 1e9, lag / 1e6 / Math.max(1, transactions.size()));
    }

    @Override
    public void close() {
        gateway.close();
        grpc.shutdownNow();
    }
}
