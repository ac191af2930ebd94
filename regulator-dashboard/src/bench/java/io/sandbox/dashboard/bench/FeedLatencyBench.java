package io.sandbox.dashboard.bench;

import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency from commit to the live feed at a fixed offered load: an open-loop generator ({@link Traffic}) submits
 * through the fabric-gateway client at {@code bench.rate}; a client of the packaged dashboard's SSE feed
 * ({@code /api/v1/feed}, regulator's bearer token) notes when each {@code tx} event arrives. A transaction's latency
 * is its event's arrival minus the moment the gateway client got its commit status, and minus the moment its block
 * reached a block-event client of the regulator's peer, the peer the dashboard ingests from (all on this JVM's clock).
 *
 * <p>System properties: {@code bench.rate} (offered tx/s, 25), {@code bench.seconds} (measured, 60),
 * {@code bench.warmup} (seconds of unmeasured traffic first, 15), {@code bench.channels} (the load is spread round
 * robin over this many channels, 1), {@code bench.preEndorsed} (endorse every transaction before the run, false).
 */
public final class FeedLatencyBench {

    private FeedLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        io.sandbox.devnet.Logging.install();
        double rate = Double.parseDouble(System.getProperty("bench.rate", "25"));
        int seconds = Integer.getInteger("bench.seconds", 60);
        int warmup = Integer.getInteger("bench.warmup", 15);
        int channels = Integer.getInteger("bench.channels", 1);
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        Map<String, Long> committed = new ConcurrentHashMap<>();
        Map<String, Long> onPeer = new ConcurrentHashMap<>();
        Map<String, Long> stored = new ConcurrentHashMap<>();
        AtomicLong gaps = new AtomicLong();
        try (LiveDashboard live = new LiveDashboard()) {
            live.growTo(channels);
            live.launch();
            live.awaitIngested(Duration.ofMinutes(5));
            CountDownLatch open = new CountDownLatch(1);
            Thread client = Thread.ofPlatform().daemon().name("feed-client").start(() -> listen(live, arrived, stored, gaps,
                    open));
            open.await();
            if (Boolean.getBoolean("bench.preEndorsed")) {
                preEndorsed(live, rate, seconds, warmup, channels, arrived, onPeer, stored, gaps);
                client.interrupt();
                return;
            }
            try (Traffic traffic = new Traffic(live.startup(), live.channels());
                    AutoCloseable blocks = live.watchBlocks(onPeer)) {
                Traffic.Result w = traffic.run(rate, Duration.ofSeconds(warmup), (id, at, status) -> { });
                System.out.printf("warm-up: %d sent, %d committed, %.1f tx/s | %s%n", w.sent(), w.committed(),
                        w.committedPerSecond(), LiveDashboard.load());
                Traffic.Result r = traffic.run(rate, Duration.ofSeconds(seconds), (id, at, status) -> committed.put(id, at));
                String load = LiveDashboard.load();
                Thread.sleep(3_000); // the last blocks' events
                System.out.printf("offered %.1f tx/s for %d s over %d channel(s): %d sent (mean send lag %.1f ms), %d "
                        + "committed (%d valid, %d failed), achieved %.1f tx/s | %s%n", rate, seconds, channels,
                        r.sent(), r.sendLagMillis(), r.committed(), r.valid(), r.failed(), r.committedPerSecond(), load);
                report("commit status at the client -> feed", committed.keySet(), committed, arrived, gaps.get());
                report("block at a client of the regulator's peer -> feed", committed.keySet(), onPeer, arrived, gaps.get());
                report("  of which block -> stored (the item's ingestedAt)", committed.keySet(), onPeer, stored, gaps.get());
                report("  of which stored -> feed", committed.keySet(), stored, arrived, gaps.get());
                System.out.println("dashboard after the run: " + live.memory());
            }
            client.interrupt();
        }
    }

    /**
     * The same measurement with transactions endorsed before the clock starts ({@link Traffic#prepare}): during the
     * run the devnet only orders, validates and commits, so higher rates can be offered on 2 cores. Without commit
     * statuses, latency is measured from the block's arrival at a client of the regulator's peer.
     */
    private static void preEndorsed(LiveDashboard live, double rate, int seconds, int warmup, int channels,
            Map<String, Long> arrived, Map<String, Long> onPeer, Map<String, Long> stored, AtomicLong gaps)
            throws Exception {
        Map<String, Integer> codes = new ConcurrentHashMap<>();
        try (Traffic traffic = new Traffic(live.startup(), live.channels());
                AutoCloseable blocks = live.watchBlocks(onPeer, codes)) {
            long started = System.nanoTime();
            var warm = traffic.prepare((int) (rate * warmup));
            var measured = traffic.prepare((int) (rate * seconds));
            System.out.printf("endorsed %d transactions in %.1f s | %s%n", warm.size() + measured.size(),
                    (System.nanoTime() - started) / 1e9, LiveDashboard.load());
            live.awaitIngested(Duration.ofMinutes(5));
            Traffic.Submission w = traffic.submit(warm, rate);
            System.out.printf("warm-up: %d submitted (%d failed) in %.1f s | %s%n", w.txIds().size(), w.failed(),
                    w.seconds(), LiveDashboard.load());
            Traffic.Submission r = traffic.submit(measured, rate);
            String load = LiveDashboard.load();
            Set<String> ids = Set.copyOf(r.txIds());
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!codes.keySet().containsAll(ids) && System.nanoTime() < deadline) {
                Thread.sleep(200); // until the regulator's peer has committed them all
            }
            Thread.sleep(3_000); // their feed events
            long committed = ids.stream().filter(codes::containsKey).count();
            long valid = ids.stream().filter(id -> Integer.valueOf(0).equals(codes.get(id))).count();
            long first = ids.stream().map(onPeer::get).filter(Objects::nonNull).min(Long::compare).orElse(0L);
            long last = ids.stream().map(onPeer::get).filter(Objects::nonNull).max(Long::compare).orElse(0L);
            System.out.printf("offered %.1f tx/s of pre-endorsed transactions for %d s over %d channel(s): %d submitted "
                    + "in %.1f s (mean send lag %.1f ms, %d failed), %d committed (%d valid) at the regulator's peer, "
                    + "%.1f tx/s between its first and last block | %s%n", rate, seconds, channels, ids.size(),
                    r.seconds(), r.sendLagMillis(), r.failed(), committed, valid, committed / ((last - first) / 1e9),
                    load);
            report("block at a client of the regulator's peer -> feed", ids, onPeer, arrived, gaps.get());
            report("  of which block -> stored (the item's ingestedAt)", ids, onPeer, stored, gaps.get());
            report("  of which stored -> feed", ids, stored, arrived, gaps.get());
            System.out.println("dashboard after the run: " + live.memory());
        }
    }

    private static final Pattern INGESTED_AT = Pattern.compile("\"ingestedAt\":\"([^\"]+)\"");

    /**
     * Reads the feed, noting when each {@code tx} event (its blank line) arrives and when the dashboard stored it (its
     * {@code ingestedAt}, moved to this JVM's clock); counts {@code gap} events.
     */
    private static void listen(LiveDashboard live, Map<String, Long> arrived, Map<String, Long> stored, AtomicLong gaps,
            CountDownLatch open) {
        HttpRequest request = HttpRequest.newBuilder(live.uri("/api/v1/feed")).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + SandboxTestEnvironment.accessToken("regulator")).build();
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("feed answered " + response.statusCode());
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = null;
                String id = null;
                String data = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    open.countDown();
                    if (line.isEmpty()) {
                        if ("tx".equals(event) && id != null) {
                            long now = System.nanoTime();
                            arrived.putIfAbsent(id, now);
                            Matcher at = INGESTED_AT.matcher(data == null ? "" : data);
                            if (at.find()) {
                                stored.putIfAbsent(id, now - Duration.between(Instant.parse(at.group(1)), Instant.now()).toNanos());
                            }
                        } else if ("gap".equals(event)) {
                            gaps.incrementAndGet();
                        }
                        event = null;
                        id = null;
                        data = null;
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data = line.substring(5);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!Thread.currentThread().isInterrupted()) {
                System.err.println("feed client: " + e);
            }
        } finally {
            open.countDown();
        }
    }

    /** Percentiles of arrival on the feed minus {@code from}, over {@code txIds}. */
    private static void report(String what, Set<String> txIds, Map<String, Long> from, Map<String, Long> arrived,
            long gaps) {
        List<Long> latencies = new ArrayList<>();
        int missing = 0;
        for (String txId : txIds) {
            Long start = from.get(txId);
            Long at = arrived.get(txId);
            if (start == null || at == null) {
                missing++;
            } else {
                latencies.add(at - start);
            }
        }
        latencies.sort(null);
        System.out.printf("%s: n %d, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, min %.1f ms (%d negative);"
                + " missing %d, gap events %d%n", what, latencies.size(), percentile(latencies, 0.50),
                percentile(latencies, 0.95), percentile(latencies, 0.99), percentile(latencies, 1.0),
                percentile(latencies, 0.0), latencies.stream().filter(l -> l < 0).count(), missing, gaps);
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }
}
