package io.sandbox.devnet.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.sandbox.devnet.peer.ReplayChain;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;

/**
 * Block-event replay from block 0 on a long chain ({@link ReplayChain}: built once in {@code bench.dir}, reused by
 * later runs). Each pass reads blocks 0..height-1 from the peer twice: (1) through the real fabric-gateway client's
 * {@code getBlockEvents} (what the dashboard's ingestion uses), (2) through a raw Deliver client that counts the
 * response bytes without parsing them (the server's cost, nearly alone). Prints tx/s, blocks/s, MiB/s, this JVM's
 * CPU time split by thread group, and the load average. Not a test: it asserts nothing beyond block counts.
 *
 * <p>System properties: {@code bench.dir} (default {@code /tmp/devnet-replay-<batchSize>-<tx>}), {@code bench.tx}
 * (transactions in the chain, default 100000), {@code bench.batchSize} (MaxMessageCount, default 500; only used
 * when the chain is created), {@code bench.passes} (default 5), {@code bench.mode} ({@code both}, {@code gateway},
 * {@code raw}).
 */
public final class ReplayBench {

    private ReplayBench() {
    }

    public static void main(String[] args) throws Exception {
        io.sandbox.devnet.Logging.install();
        int txCount = Integer.getInteger("bench.tx", 100_000);
        int batchSize = Integer.getInteger("bench.batchSize", 500);
        int passes = Integer.getInteger("bench.passes", 5);
        String mode = System.getProperty("bench.mode", "both");
        Path dir = Path.of(System.getProperty("bench.dir", "/tmp/devnet-replay-" + batchSize + "-" + txCount));
        System.out.printf(Locale.ROOT, "# ReplayBench: %d cores, JDK %s, max heap %d MiB, data %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20,
                dir);
        try (ReplayChain chain = ReplayChain.open(dir, batchSize, txCount)) {
            long height = chain.height();
            long txs = 0;
            long bytes = 0;
            for (long n = 0; n < height; n++) {
                Block b = chain.block(n);
                txs += b.getData().getDataCount();
                bytes += b.getSerializedSize();
            }
            System.out.printf(Locale.ROOT, "# chain: %d blocks, %d transactions, %.1f MiB (%.0f tx per block)%n",
                    height, txs, bytes / 1048576.0, (double) txs / height);
            Stats stats = new Stats(height, txs);
            ManagedChannel grpc = chain.connectPeer("bench-client-loop");
            try (Gateway gateway = Gateway.newInstance().identity(chain.user().gatewayIdentity())
                    .signer(chain.user().gatewaySigner()).connection(grpc).connect()) {
                Network network = gateway.getNetwork(ReplayChain.CHANNEL);
                for (int pass = 1; pass <= passes; pass++) {
                    if (!mode.equals("raw")) {
                        stats.measure("gateway getBlockEvents", pass, () -> gatewayReplay(network, height));
                    }
                    if (!mode.equals("gateway")) {
                        stats.measure("raw Deliver (unparsed)", pass, () -> rawReplay(grpc, chain.seekRequest(0, height - 1)));
                    }
                }
            } finally {
                grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Blocks 0..height-1 through fabric-gateway's block events; returns the bytes received. */
    private static long gatewayReplay(Network network, long height) {
        long bytes = 0;
        long expected = 0;
        try (CloseableIterator<Block> blocks = network.newBlockEventsRequest().startBlock(0).build().getEvents()) {
            while (expected < height) {
                Block b = blocks.next();
                if (b.getHeader().getNumber() != expected) {
                    throw new IllegalStateException("block " + b.getHeader().getNumber() + ", expected " + expected);
                }
                bytes += b.getSerializedSize();
                expected++;
            }
        }
        return bytes;
    }

    /** A DeliverResponse as bytes: its size and whether it is a block (field 2) rather than the status (field 1). */
    private record Raw(int size, boolean block) {
    }

    private static final MethodDescriptor.Marshaller<Raw> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Raw value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Raw parse(InputStream stream) {
            try (stream) {
                int first = stream.read();
                long size = first < 0 ? 0 : 1;
                byte[] skip = new byte[64 * 1024];
                for (int n; (n = stream.read(skip)) > 0; ) {
                    size += n;
                }
                return new Raw((int) size, first == 0x12);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    private static final MethodDescriptor<Envelope, Raw> DELIVER_RAW = DeliverGrpc.getDeliverMethod().toBuilder(
            ProtoUtils.marshaller(Envelope.getDefaultInstance()), RAW).build();

    /** The request's blocks as unparsed DeliverResponse bytes; returns the bytes received (blocks only). */
    private static long rawReplay(ManagedChannel grpc, Envelope request) throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        StreamObserver<Envelope> requests = ClientCalls.asyncBidiStreamingCall(
                grpc.newCall(DELIVER_RAW, CallOptions.DEFAULT), new StreamObserver<Raw>() {
                    long bytes;

                    @Override
                    public void onNext(Raw value) {
                        if (value.block()) {
                            bytes += value.size();
                        } else {
                            done.complete(bytes);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(bytes);
                    }
                });
        requests.onNext(request);
        long bytes = done.get(10, TimeUnit.MINUTES);
        requests.onCompleted();
        return bytes;
    }

    interface Replay {
        long run() throws Exception;
    }

    /** Rate, CPU by thread group and load average of one replay. */
    private static final class Stats {
        private final long blocks;
        private final long txs;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        Stats(long blocks, long txs) {
            this.blocks = blocks;
            this.txs = txs;
        }

        void measure(String what, int pass, Replay replay) throws Exception {
            Map<Long, Long> cpu0 = threadCpu();
            Map<Long, String> names = new HashMap<>();
            long process0 = processCpuNanos();
            long t0 = System.nanoTime();
            long bytes = replay.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long process = processCpuNanos() - process0;
            Map<String, Long> byGroup = new TreeMap<>();
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null) {
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
            threadCpu().forEach((id, nanos) -> {
                long delta = nanos - cpu0.getOrDefault(id, 0L);
                if (delta > 0) {
                    byGroup.merge(group(names.getOrDefault(id, "?")), delta, Long::sum);
                }
            });
            StringBuilder groups = new StringBuilder();
            byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                    .forEach(e -> groups.append(String.format(Locale.ROOT, " %s %.0f", e.getKey(),
                            e.getValue() / 1e3 / blocks)));
            System.out.printf(Locale.ROOT, "%s, pass %d: %d blocks, %d tx, %.1f MiB in %.2f s = %.0f tx/s, %.0f blocks/s,"
                    + " %.1f MiB/s; JVM CPU %.2f s (%.0f µs/block, %.2f cores); per thread group µs/block:%s;"
                    + " load average %s%n", what, pass, blocks, txs, bytes / 1048576.0, seconds, txs / seconds,
                    blocks / seconds, bytes / 1048576.0 / seconds, process / 1e9, process / 1e3 / blocks,
                    process / 1e9 / seconds, groups, loadAverage());
        }

        private Map<Long, Long> threadCpu() {
            Map<Long, Long> cpu = new HashMap<>();
            for (long id : threads.getAllThreadIds()) {
                long nanos = threads.getThreadCpuTime(id);
                if (nanos >= 0) {
                    cpu.put(id, nanos);
                }
            }
            return cpu;
        }

        /** A thread's name without its number: server deliver pool, Netty event loops, the client's loop, GC... */
        private static String group(String name) {
            return name.replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-").replace(' ', '_');
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
