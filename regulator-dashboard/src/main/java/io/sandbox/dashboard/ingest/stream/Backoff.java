package io.sandbox.dashboard.ingest.stream;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, capped: the n-th wait is random in [min, min(max, min * 2^n)]. */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private int failures;

    Backoff(Duration min, Duration max) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
    }

    Duration next() {
        long ceiling = Math.min(maxMillis, minMillis << Math.min(failures, 20));
        failures++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(minMillis, ceiling + 1));
    }

    void reset() {
        failures = 0;
    }
}
