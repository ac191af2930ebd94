package io.sandbox.core.risk;

import io.sandbox.core.rules.Permit;
import io.sandbox.core.rules.Severity;
import io.sandbox.core.rules.Span;
import io.sandbox.core.rules.StartupProfile;
import io.sandbox.core.rules.TransactionFacts;
import io.sandbox.core.rules.WindowState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps what one startup's risk needs beyond its windows: the hourly baseline of its transaction count, an
 * exponentially weighted moving average (α = {@value #ALPHA}) of its completed event-time hours, idle hours
 * counting 0. It reads the aggregates from the {@link WindowState} its {@code RuleEvaluator} folds into; it does
 * not fold into the windows itself.
 *
 * <p>Not thread-safe: one instance per startup stream, used by one thread at a time.
 */
public final class RiskTracker {

    /** The EWMA's weight of the newest hour (about a day's memory). */
    public static final double ALPHA = 0.08;

    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();
    private static final int MAX_IDLE_HOURS = 24 * 14;

    private final WindowState windows;
    private StartupProfile startup;
    private long currentHour = Long.MIN_VALUE;
    private long currentCount;
    private double baseline;
    private long baselineHours;

    public RiskTracker(StartupProfile startup, WindowState windows) {
        this.startup = Objects.requireNonNull(startup, "startup");
        this.windows = Objects.requireNonNull(windows, "windows");
    }

    /** Replaces the profile (e.g. after a permit change). */
    public void update(StartupProfile profile) {
        this.startup = Objects.requireNonNull(profile, "profile");
    }

    /** Counts one transaction of the startup into the hourly baseline. */
    public void fold(TransactionFacts tx) {
        long hour = Math.floorDiv(tx.timestamp().toEpochMilli(), HOUR_MILLIS);
        if (currentHour == Long.MIN_VALUE) {
            currentHour = hour;
        } else if (hour > currentHour) {
            push(currentCount);
            long idle = Math.min(hour - currentHour - 1, MAX_IDLE_HOURS);
            for (long i = 0; i < idle; i++) {
                push(0);
            }
            currentHour = hour;
            currentCount = 0;
        }
        currentCount++;
    }

    private void push(long count) {
        baseline = baselineHours == 0 ? count : ALPHA * count + (1 - ALPHA) * baseline;
        baselineHours++;
    }

    /** The baseline: the EWMA of completed hours' transaction counts. */
    public double baseline() {
        return baseline;
    }

    /** The inputs as of {@code now}, with the caller's breach counts. */
    public RiskInputs inputs(Instant now, Map<Severity, Long> breaches) {
        String name = startup.name();
        WindowState.Totals hour = windows.startup(name, Span.HOUR, now);
        WindowState.Totals day = windows.startup(name, Span.DAY, now);
        double hhi = hhi(windows.counterpartyDaySums(name, now));
        Map<String, Double> utilisation = new LinkedHashMap<>();
        Permit permit = startup.permit();
        if (permit != null) {
            utilisation.put("customers", (double) windows.customersOnboarded(name) / permit.maxCustomers());
            utilisation.put("singleValue",
                    ratio(windows.largestSingleMinor(name, Span.DAY, now), permit.maxSingleValue()));
            utilisation.put("dailyVolume", ratio(day.sumMinor(), permit.maxDailyVolume()));
            Instant start = permit.testWindowStart().atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = permit.testWindowEnd().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            double elapsed = (double) Duration.between(start, now).toMillis() / Duration.between(start, end).toMillis();
            utilisation.put("testWindow", Math.max(0, elapsed));
        }
        return new RiskInputs(breaches, hour.total(), baseline, baselineHours, day.invalidRatio(), hhi, utilisation);
    }

    /** Herfindahl-Hirschman index of the shares, 0..1; 0 for no value. */
    static double hhi(Map<String, Long> sums) {
        double total = 0;
        for (long s : sums.values()) {
            total += s;
        }
        if (total <= 0) {
            return 0;
        }
        double hhi = 0;
        for (long s : sums.values()) {
            double share = s / total;
            hhi += share * share;
        }
        return hhi;
    }

    private static double ratio(long minor, BigDecimal limit) {
        return minor / limit.movePointRight(2).doubleValue();
    }
}
