package io.sandbox.core.rules;

import java.time.Duration;

/**
 * The sliding windows {@link WindowState} keeps, each as a ring of buckets over event time.
 *
 * <p>A window "as of" instant {@code t} covers the bucket holding {@code t} and the {@code buckets - 1} before it,
 * so it spans between {@code length - bucket} and {@code length} of event time.
 */
public enum Span {
    /** The last minute, in 1-second buckets. */
    MINUTE(Duration.ofMinutes(1), Duration.ofSeconds(1)),
    /** The last hour, in 1-minute buckets. */
    HOUR(Duration.ofHours(1), Duration.ofMinutes(1)),
    /** The last day (24 hours, sliding), in 15-minute buckets. */
    DAY(Duration.ofDays(1), Duration.ofMinutes(15));

    private final Duration length;
    private final Duration bucket;

    Span(Duration length, Duration bucket) {
        this.length = length;
        this.bucket = bucket;
    }

    /** The window's length. */
    public Duration length() {
        return length;
    }

    /** The width of one bucket: the window's precision. */
    public Duration bucket() {
        return bucket;
    }

    /** How many buckets the window holds. */
    public int buckets() {
        return (int) (length.toMillis() / bucket.toMillis());
    }

    /** The name used in the rule model, e.g. {@code minute}. */
    public String modelName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
