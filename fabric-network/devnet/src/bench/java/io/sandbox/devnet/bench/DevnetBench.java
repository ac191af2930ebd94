package io.sandbox.devnet.bench;

import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.channel.ChannelDescription.BatchSettings;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.devnet.orderer.BenchGenesis;
import io.sandbox.devnet.peer.BenchNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Devnet benchmark: an orderer, a Regulator and a Startup peer in this JVM (the test fixture {@code Devnet}), the
 * reference chaincode as an in-process CCaaS server, and the real fabric-gateway client against the Startup peer.
 * Prints (1) submit throughput with N concurrent closed-loop clients, (2) the block-event replay rate from block 0,
 * (3) the latency of one transaction on an idle network. Not a test: nothing here asserts; it prints figures.
 *
 * <p>System properties: {@code bench.clients} (comma list, default {@code 64}), {@code bench.warmup} and
 * {@code bench.duration} (seconds, default 10 and 20), {@code bench.latencyTx} (default 50),
 * {@code bench.batchTimeoutMs} and {@code bench.batchSize} (default: the devnet's channel defaults, 2 s and 500).
 */
public final class DevnetBench {

    private DevnetBench() {
    }

    public static void main(String[] args) throws Exception {
        io.sandbox.devnet.Logging.install();
        BatchSettings defaults = BatchSettings.defaults();
        BatchSettings batch = new BatchSettings(
                Duration.ofMillis(Long.getLong("bench.batchTimeoutMs", defaults.batchTimeout().toMillis())),
                Integer.getInteger("bench.batchSize", defaults.maxMessageCount()),
                defaults.absoluteMaxBytes(), defaults.preferredMaxBytes());
        int[] clients = Arrays.stream(System.getProperty("bench.clients", "64").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        int warmup = Integer.getInteger("bench.warmup", 10);
        int duration = Integer.getInteger("bench.duration", 20);
        int latencyTx = Integer.getInteger("bench.latencyTx", 50);

        System.out.printf(Locale.ROOT, "# DevnetBench: %d cores, JDK %s (%s), max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "# channel BatchTimeout %d ms, BatchSize MaxMessageCount %d, AbsoluteMaxBytes %d, "
                + "PreferredMaxBytes %d%n", batch.batchTimeout().toMillis(), batch.maxMessageCount(),
                batch.absoluteMaxBytes(), batch.preferredMaxBytes());

        Path dir = Files.createTempDirectory("devnet-bench");
        long t0 = System.nanoTime();
        try (BenchNetwork net = new BenchNetwork(dir, BenchGenesis.genesis(BenchNetwork.CHANNEL, batch))) {
            net.deployReferenceChaincode();
            System.out.printf(Locale.ROOT, "# network up and chaincode committed in %.1f s (data in %s)%n",
                    (System.nanoTime() - t0) / 1e9, dir);
            FabricIdentity user = net.startupUser();
            ManagedChannel grpc = net.connectStartupGateway();
            try (Gateway gateway = Gateway.newInstance().identity(user.gatewayIdentity()).signer(user.gatewaySigner())
                    .connection(grpc)
                    .evaluateOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                    .endorseOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                    .submitOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                    .commitStatusOptions(o -> o.withDeadlineAfter(120, TimeUnit.SECONDS))
                    .connect()) {
                Network network = gateway.getNetwork(BenchNetwork.CHANNEL);
                Contract contract = network.getContract(BenchNetwork.CHAINCODE);
                for (int n : clients) {
                    throughput(contract, n, warmup, duration);
                }
                replay(network, net.height());
                replay(network, net.height());
                if (latencyTx > 0) {
                    latency(contract, latencyTx, batch);
                }
            } finally {
                grpc.shutdownNow();
            }
        }
    }

    private static final AtomicLong KEYS = new AtomicLong();

    /** N closed-loop clients: endorse, submitAsync, await getStatus(), repeat; VALID commits per second. */
    private static void throughput(Contract contract, int clients, int warmupS, int durationS) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder valid = new LongAdder();
        LongAdder invalid = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> firstError = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofVirtual().name("bench-client-" + i).start(() -> {
                while (!stop.get()) {
                    try {
                        Status status = contract.newProposal("onboardCustomer")
                                .addArguments("bench-" + KEYS.incrementAndGet(), "DE", "LOW").build().endorse()
                                .submitAsync().getStatus();
                        if (measuring.get()) {
                            (status.getCode() == TxValidationCode.VALID ? valid : invalid).increment();
                        }
                    } catch (Exception e) {
                        if (measuring.get()) {
                            errors.increment();
                        }
                        synchronized (firstError) {
                            if (firstError.isEmpty()) {
                                firstError.add(e);
                            }
                        }
                    }
                }
            }));
        }
        Thread.sleep(warmupS * 1000L);
        measuring.set(true);
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        long[] ticksStart = userSystemTicks();
        Map<String, Long> threadsStart = threadTicks();
        Thread.sleep(durationS * 1000L);
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuStart;
        long[] ticks = userSystemTicks();
        Map<String, Long> threadsEnd = threadTicks();
        long v = valid.sum();
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf(Locale.ROOT, "submit throughput: %d clients, %d s warm-up, %.1f s measured: %d VALID "
                + "(%d invalid, %d errors) = %.0f tx/s VALID; this JVM's CPU %.1f ms per VALID tx (user %.1f, kernel %.1f; %.2f cores busy); "
                + "machine load average %s%n", clients, warmupS, seconds, v, invalid.sum(), errors.sum(), v / seconds,
                v == 0 ? Double.NaN : cpu / 1e6 / v, perTx(ticks[0] - ticksStart[0], v),
                perTx(ticks[1] - ticksStart[1], v), cpu / 1e9 / seconds, loadAverage());
        if (v > 0) {
            threadsEnd.replaceAll((name, t) -> t - threadsStart.getOrDefault(name, 0L));
            System.out.println("  CPU per VALID tx by OS thread name (digits dropped; virtual threads count on their "
                    + "carriers, ForkJoinPool-N-worker): " + threadsEnd.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), perTx(e.getValue(), v)))
                    .collect(java.util.stream.Collectors.joining(", ")) + " ms");
        }
        if (!firstError.isEmpty()) {
            Throwable e = firstError.get(0);
            System.out.println("  first error: " + e + (e instanceof org.hyperledger.fabric.client.GatewayException g
                    ? " " + g.getDetails() : ""));
        }
    }

    /** Reads blocks 0..height-1 through the gateway client's block events. */
    private static void replay(Network network, long height) {
        long txs = 0;
        long bytes = 0;
        long start = System.nanoTime();
        try (CloseableIterator<Block> blocks = network.newBlockEventsRequest().startBlock(0).build().getEvents()) {
            while (true) {
                Block b = blocks.next();
                txs += b.getData().getDataCount();
                bytes += b.getSerializedSize();
                if (b.getHeader().getNumber() >= height - 1) {
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "block-event replay from block 0: %d blocks, %d transactions, %.1f MiB in %.2f s "
                + "= %.0f tx/s, %.0f blocks/s%n", height, txs, bytes / 1048576.0, seconds, txs / seconds,
                height / seconds);
    }

    /** Sequential submits on an idle network: endorse, then submit and wait for the commit status. */
    private static void latency(Contract contract, int count, BatchSettings batch) throws Exception {
        long[] total = new long[count];
        long[] endorse = new long[count];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            Transaction tx = contract.newProposal("onboardCustomer")
                    .addArguments("latency-" + KEYS.incrementAndGet(), "DE", "LOW").build().endorse();
            long t1 = System.nanoTime();
            Status status = tx.submitAsync().getStatus();
            long t2 = System.nanoTime();
            if (status.getCode() != TxValidationCode.VALID) {
                throw new IllegalStateException("latency tx " + status.getCode());
            }
            endorse[i] = t1 - t0;
            total[i] = t2 - t0;
        }
        Arrays.sort(total);
        Arrays.sort(endorse);
        System.out.printf(Locale.ROOT, "latency, %d sequential submits (endorse + submit + commit status): p50 %.1f ms, "
                + "p95 %.1f ms, max %.1f ms; endorse alone p50 %.1f ms, max %.1f ms; goal <= %d ms "
                + "(BatchTimeout + 50 ms)%n", count, ms(pct(total, 50)), ms(pct(total, 95)), ms(total[count - 1]),
                ms(pct(endorse, 50)), ms(endorse[count - 1]), batch.batchTimeout().toMillis() + 50);
    }

    /**
     * CPU time of this whole JVM (devnet, chaincode servers and the gateway client alike): per transaction it
     * depends far less on the other load of a shared machine than the rate does.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** This process's user and kernel CPU time in clock ticks (Linux /proc/self/stat, fields 14 and 15). */
    private static long[] userSystemTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /**
     * User and kernel ticks per OS thread name of this process (Linux /proc/self/task; names as the kernel keeps
     * them, 15 characters, digits dropped so that a pool's threads add up); threads gone by the end are missed.
     */
    private static Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return ticks;
    }

    /** Milliseconds per transaction of a tick count (USER_HZ is 100 on Linux). */
    private static double perTx(long ticks, long tx) {
        return tx == 0 ? Double.NaN : ticks * 10.0 / tx;
    }

    /** The machine's 1-minute load average (Linux), to judge how much of the 2 cores the bench really had. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static long pct(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
