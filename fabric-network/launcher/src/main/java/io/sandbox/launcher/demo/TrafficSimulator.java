package io.sandbox.launcher.demo;

import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.launcher.fabric.FabricNetwork;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.SubmittedTransaction;

/**
 * Pilot traffic for the demo sandbox: each startup, through its own client identity and its own peer, onboards
 * customers, issues a deposit token, makes payments, transfers and redemptions, now and then a large payment (above the demo permits' max single value), and
 * now and then two transfers from the same holding at once, of which the ledger marks the second
 * {@code MVCC_READ_CONFLICT} (an invalid transaction, as real pilots produce under load).
 */
public final class TrafficSimulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrafficSimulator.class.getName());
    /** Each pilot stops onboarding here, below the demo permits' maximum (a pilot that keeps to its permit). */
    private static final int MAX_CUSTOMERS = 300;

    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong conflictPairs = new AtomicLong();
    private volatile boolean running = true;

    private TrafficSimulator() {
    }

    /**
     * Starts one worker per startup.
     *
     * @param transactionsPerSecond the pace of each startup
     */
    public static TrafficSimulator start(List<StartupSandbox> startups, double transactionsPerSecond) {
        Objects.requireNonNull(startups, "startups");
        if (!(transactionsPerSecond > 0)) {
            throw new IllegalArgumentException("transactionsPerSecond must be positive");
        }
        TrafficSimulator simulator = new TrafficSimulator();
        long pauseMillis = Math.round(1000 / transactionsPerSecond);
        for (StartupSandbox startup : startups) {
            Thread worker = Thread.ofVirtual().name("traffic-" + startup.name())
                    .start(() -> simulator.run(startup, pauseMillis));
            simulator.workers.add(worker);
        }
        return simulator;
    }

    /** Transactions submitted so far (whatever their validation code). */
    public long submitted() {
        return submitted.get();
    }

    /** Pairs of simultaneous transfers from one holding submitted so far (each pair leaves one invalid). */
    public long conflictPairs() {
        return conflictPairs.get();
    }

    /** Submissions that failed before ordering (endorsement or connection errors). */
    public long failed() {
        return failed.get();
    }

    private void run(StartupSandbox startup, long pauseMillis) {
        FabricIdentity user = startup.org().user();
        while (running) {
            ManagedChannel grpc = startup.peer().openChannel();
            try (Gateway gateway = Gateway.newInstance().identity(user.gatewayIdentity()).signer(user.gatewaySigner())
                    .connection(grpc)
                    .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .commitStatusOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                    .connect()) {
                Pilot pilot = new Pilot(startup.name(), gateway.getNetwork(startup.channelId())
                        .getContract(FabricNetwork.CHAINCODE));
                while (running) {
                    long started = System.currentTimeMillis();
                    pilot.step();
                    Thread.sleep(Math.max(1, pauseMillis - (System.currentTimeMillis() - started)));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                LOG.log(Level.FINE, "traffic of " + startup.name() + " interrupted; reconnecting", e);
                sleepQuietly(2000);
            } finally {
                grpc.shutdownNow();
            }
        }
    }

    /** One startup's pilot business, with its own customers and token. */
    private final class Pilot {
        private final RandomGenerator random = RandomGenerator.getDefault();
        private final Contract contract;
        private final String prefix;
        private final String token;
        private final List<String> holders = new ArrayList<>();
        private final List<String> customers = new ArrayList<>();
        private long sequence;

        Pilot(String startup, Contract contract) {
            this.contract = contract;
            this.prefix = startup + "-" + Long.toString(System.currentTimeMillis(), 36);
            this.token = prefix + "-EURT";
        }

        void step() throws InterruptedException {
            try {
                if (customers.size() < 3) {
                    onboard();
                } else if (holders.isEmpty()) {
                    submit("issueAsset", token, "DEPOSIT_TOKEN", "EUR", "1000000.00", customers.get(0));
                    holders.add(customers.get(0));
                } else {
                    int roll = random.nextInt(100);
                    if (roll < 15 && customers.size() < MAX_CUSTOMERS) {
                        onboard();
                    } else if (roll < 55) {
                        String from = any();
                        submit("payment", prefix + "-p" + (++sequence), from, otherThan(from), "EUR",
                                amount(random.nextInt(50) == 0));
                    } else if (roll < 85) {
                        transfer();
                    } else if (roll < 92) {
                        submit("redeem", token, holders.get(0), amount(false));
                    } else {
                        conflictingTransfers();
                    }
                }
            } catch (GatewayException e) {
                long failures = failed.incrementAndGet();
                // a pilot's transactions fail now and then (as real ones do); say so, without flooding the console
                Level level = failures == 1 || failures % 100 == 0 ? Level.WARNING : Level.FINE;
                LOG.log(level, "pilot transaction failed (" + failures + " so far): " + e.getMessage());
            }
        }

        private void onboard() throws GatewayException {
            String customer = prefix + "-c" + (customers.size() + 1);
            String[] jurisdictions = {"DE", "FR", "NL", "SG", "GB", "US-NY"};
            String[] tiers = {"LOW", "LOW", "MEDIUM", "HIGH"};
            submit("onboardCustomer", customer, jurisdictions[random.nextInt(jurisdictions.length)],
                    tiers[random.nextInt(tiers.length)]);
            customers.add(customer);
        }

        private void transfer() throws GatewayException {
            String to = other();
            submit("transfer", token, holders.get(0), to, amount(false));
            if (!holders.contains(to)) {
                holders.add(to);
            }
        }

        /** Two transfers endorsed against the same balance before either commits: the ledger keeps the first. */
        private void conflictingTransfers() throws GatewayException {
            var first = contract.newProposal("transfer").addArguments(token, holders.get(0), other(), "1.00").build()
                    .endorse();
            var second = contract.newProposal("transfer").addArguments(token, holders.get(0), other(), "2.00").build()
                    .endorse();
            SubmittedTransaction a = first.submitAsync();
            SubmittedTransaction b = second.submitAsync();
            submitted.addAndGet(2);
            conflictPairs.incrementAndGet();
            a.getStatus();
            b.getStatus();
        }

        private void submit(String function, String... arguments) throws GatewayException {
            SubmittedTransaction transaction = contract.newProposal(function).addArguments(arguments).build()
                    .endorse().submitAsync();
            submitted.incrementAndGet();
            transaction.getStatus();
        }

        private String any() {
            return customers.get(random.nextInt(customers.size()));
        }

        /** A customer other than the token's first holder (the source of transfers). */
        private String other() {
            return otherThan(holders.get(0));
        }

        private String otherThan(String customer) {
            String pick;
            do {
                pick = any();
            } while (pick.equals(customer));
            return pick;
        }

        private String amount(boolean large) {
            double base = large ? 20_000 + random.nextDouble() * 80_000 : 5 + random.nextDouble() * 2_000;
            return BigDecimal.valueOf(base).setScale(2, RoundingMode.HALF_UP).toPlainString();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every worker and waits briefly for them. */
    @Override
    public void close() {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
