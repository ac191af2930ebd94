package io.sandbox.dashboard.bench;

import io.sandbox.dashboard.bench.LiveDashboard.Memory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dashboard memory with many channels streaming: for each channel count, the packaged dashboard starts on a fresh
 * database, catches up every channel, then ingests open-loop traffic spread over all channels; its footprint is read
 * after catching up and again while the traffic runs, and the per-channel cost is the difference to the first count.
 *
 * <p>System properties: {@code bench.channels} (counts, default {@code 1,10,100}), {@code bench.rate} (tx/s over all
 * channels, 20), {@code bench.seconds} (traffic per count, 40).
 */
public final class ChannelMemoryBench {

    private ChannelMemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        io.sandbox.devnet.Logging.install();
        int[] counts = Arrays.stream(System.getProperty("bench.channels", "1,10,100").split(","))
                .mapToInt(c -> Integer.parseInt(c.strip())).toArray();
        double rate = Double.parseDouble(System.getProperty("bench.rate", "20"));
        int seconds = Integer.getInteger("bench.seconds", 40);
        List<String> rows = new ArrayList<>();
        Memory first = null;
        try (LiveDashboard live = new LiveDashboard()) {
            for (int count : counts) {
                live.growTo(count);
                live.launch();
                live.awaitIngested(Duration.ofMinutes(10));
                Memory idle = live.memory();
                System.out.printf("%3d channels, caught up:  %s | %s%n", count, idle, LiveDashboard.load());
                Traffic.Result[] result = new Traffic.Result[1];
                Memory streaming;
                try (Traffic traffic = new Traffic(live.startup(), live.channels())) {
                    Thread sender = Thread.ofPlatform().name("traffic").start(
                            () -> result[0] = traffic.run(rate, Duration.ofSeconds(seconds), (id, at, status) -> { }));
                    Thread.sleep(seconds * 750L);
                    streaming = live.memory();
                    sender.join();
                }
                live.awaitIngested(Duration.ofMinutes(5));
                Traffic.Result r = result[0];
                System.out.printf("%3d channels, streaming: %s | %s | traffic: %d sent, %d committed (%d valid, %d "
                        + "failed), %.1f tx/s%n", count, streaming, LiveDashboard.load(), r.sent(), r.committed(),
                        r.valid(), r.failed(), r.committedPerSecond());
                if (first == null) {
                    first = streaming;
                    rows.add("%3d channels: %s".formatted(count, streaming));
                } else {
                    int more = count - counts[0];
                    rows.add("%3d channels: %s | per channel over %d: heap %+.2f MiB, RSS %+.2f MiB, OS threads %+.2f,"
                            .formatted(count, streaming, counts[0], (streaming.heap() - first.heap()) / more,
                                    (streaming.rss() - first.rss()) / more,
                                    (double) (streaming.osThreads() - first.osThreads()) / more)
                            + " virtual threads %+.2f".formatted(
                                    (double) (streaming.virtualThreads() - first.virtualThreads()) / more));
                }
                live.stopDashboard();
            }
        }
        System.out.println();
        System.out.printf("while streaming %.0f tx/s over all channels:%n", rate);
        rows.forEach(System.out::println);
    }
}
