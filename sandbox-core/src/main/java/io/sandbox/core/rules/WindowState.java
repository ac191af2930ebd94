package io.sandbox.core.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Sliding-window aggregates over event time (the transaction's timestamp, so live evaluation and backtests agree),
 * kept incrementally: per startup, per customer and per counterparty, over the last {@link Span#MINUTE minute},
 * {@link Span#HOUR hour} and {@link Span#DAY day}.
 *
 * <ul>
 * <li>{@code count}: valid transactions that carry a reporting event;</li>
 * <li>{@code sum}: their amounts, exactly, in minor units (hundredths); when the startup has a permit, only amounts
 * in the permit's currency;</li>
 * <li>{@code invalid} and {@code total} (per startup only): invalid transactions and all transactions;</li>
 * <li>per startup, the distinct customers onboarded ({@code CUSTOMER_ONBOARDED} customer references, all time).</li>
 * </ul>
 *
 * <p>The customer of a transaction is its event's {@code from}, else its {@code customerRef}, else its {@code to};
 * the counterparty is its {@code to}. Each window is a ring of buckets (see {@link Span}): memory per key is fixed,
 * and customers and counterparties with nothing in their day window are evicted as event time moves on. A
 * transaction older than a ring's oldest bucket is not counted in that ring; an out-of-order transaction inside the
 * ring is added to its own bucket. Reads without an instant are as of the newest event time seen for that key.
 *
 * <p>Not thread-safe: one instance per evaluation stream, used by one thread at a time.
 */
public final class WindowState {

    /** The customer-count event type. */
    static final String ONBOARDED = "CUSTOMER_ONBOARDED";

    /**
     * A window's totals.
     *
     * @param count    valid transactions with an event
     * @param sumMinor their amounts in minor units
     * @param invalid  invalid transactions (per startup only; 0 for customers and counterparties)
     * @param total    all transactions (per startup only; 0 for customers and counterparties)
     */
    public record Totals(long count, long sumMinor, long invalid, long total) {

        static final Totals EMPTY = new Totals(0, 0, 0, 0);

        /** The sum in major units, e.g. 1000.50. */
        public BigDecimal sum() {
            return BigDecimal.valueOf(sumMinor, 2);
        }

        /** Invalid over total, 0 when there was nothing. */
        public double invalidRatio() {
            return total == 0 ? 0 : (double) invalid / total;
        }
    }

    private final Map<String, StartupWindows> startups = new HashMap<>();

    /** Folds one transaction in. */
    public void fold(TransactionFacts tx, StartupProfile startup) {
        Objects.requireNonNull(tx, "tx");
        StartupWindows s = startups.computeIfAbsent(tx.startup(), k -> new StartupWindows());
        long millis = tx.timestamp().toEpochMilli();
        boolean valid = tx.valid();
        ReportingEvent event = tx.event();
        boolean counted = valid && event != null;
        long amount = counted ? amountMinor(event, startup == null ? null : startup.permit()) : 0;
        s.all.add(millis, counted ? 1 : 0, amount, valid ? 0 : 1, 1);
        if (counted) {
            String customer = customerKey(event);
            if (customer != null) {
                s.customers.computeIfAbsent(customer, k -> new Windows()).add(millis, 1, amount, 0, 0);
            }
            String counterparty = blankToNull(event.to());
            if (counterparty != null) {
                s.counterparties.computeIfAbsent(counterparty, k -> new Windows()).add(millis, 1, amount, 0, 0);
            }
            if (ONBOARDED.equals(event.type()) && blankToNull(event.customerRef()) != null) {
                s.onboarded.add(event.customerRef());
            }
        }
        s.latestMillis = Math.max(s.latestMillis, millis);
        s.evictIdle();
    }

    /** The startup's totals as of the newest event time seen for it. */
    public Totals startup(String startup, Span span) {
        StartupWindows s = startups.get(startup);
        return s == null ? Totals.EMPTY : s.all.current(span);
    }

    /** The startup's totals in the window ending at {@code at}. */
    public Totals startup(String startup, Span span, Instant at) {
        StartupWindows s = startups.get(startup);
        return s == null ? Totals.EMPTY : s.all.at(span, at.toEpochMilli());
    }

    /** A customer's totals as of the newest event time seen for that customer. */
    public Totals customer(String startup, String customer, Span span) {
        return keyed(startup, customer, span, true);
    }

    /** A counterparty's totals as of the newest event time seen for that counterparty. */
    public Totals counterparty(String startup, String counterparty, Span span) {
        return keyed(startup, counterparty, span, false);
    }

    private Totals keyed(String startup, String key, Span span, boolean customer) {
        StartupWindows s = startups.get(startup);
        if (s == null || key == null) {
            return Totals.EMPTY;
        }
        Windows w = (customer ? s.customers : s.counterparties).get(key);
        return w == null ? Totals.EMPTY : w.current(span);
    }

    /** Distinct customers the startup has onboarded (all time). */
    public long customersOnboarded(String startup) {
        StartupWindows s = startups.get(startup);
        return s == null ? 0 : s.onboarded.size();
    }

    /** Per counterparty, the sum (minor units) of the day window ending at {@code at}; counterparties with 0 left out. */
    public Map<String, Long> counterpartyDaySums(String startup, Instant at) {
        StartupWindows s = startups.get(startup);
        Map<String, Long> sums = new HashMap<>();
        if (s != null) {
            long millis = at.toEpochMilli();
            s.counterparties.forEach((key, w) -> {
                long sum = w.at(Span.DAY, millis).sumMinor();
                if (sum > 0) {
                    sums.put(key, sum);
                }
            });
        }
        return sums;
    }

    /** The largest single amount (minor units) in the startup's window ending at {@code at}. */
    public long largestSingleMinor(String startup, Span span, Instant at) {
        StartupWindows s = startups.get(startup);
        return s == null ? 0 : s.all.rings.get(span).at(at.toEpochMilli())[4];
    }

    /** The newest event time seen for the startup, or {@code null}. */
    public Instant latest(String startup) {
        StartupWindows s = startups.get(startup);
        return s == null || s.latestMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(s.latestMillis);
    }

    /** How many customers and counterparties the startup's windows currently hold (eviction shows here). */
    public int trackedKeys(String startup) {
        StartupWindows s = startups.get(startup);
        return s == null ? 0 : s.customers.size() + s.counterparties.size();
    }

    /** The customer a transaction's event belongs to: {@code from}, else {@code customerRef}, else {@code to}. */
    static String customerKey(ReportingEvent event) {
        String key = blankToNull(event.from());
        if (key == null) {
            key = blankToNull(event.customerRef());
        }
        return key == null ? blankToNull(event.to()) : key;
    }

    /** The event's amount in minor units, 0 when absent or (with a permit) in another currency. */
    static long amountMinor(ReportingEvent event, Permit permit) {
        if (event.amount() == null) {
            return 0;
        }
        if (permit != null && !permit.currency().equals(event.currency())) {
            return 0;
        }
        return minorUnits(event.amount());
    }

    /** {@code value} in hundredths, exactly (0 if it does not fit). */
    static long minorUnits(BigDecimal value) {
        try {
            return value.movePointRight(2).longValueExact();
        } catch (ArithmeticException e) {
            return 0;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The three rings of one key. */
    private static final class Windows {

        final EnumMap<Span, Ring> rings = new EnumMap<>(Span.class);

        Windows() {
            for (Span span : Span.values()) {
                rings.put(span, new Ring(span));
            }
        }

        void add(long millis, long count, long sum, long invalid, long total) {
            for (Ring ring : rings.values()) {
                ring.add(millis, count, sum, invalid, total);
            }
        }

        Totals current(Span span) {
            Ring r = rings.get(span);
            return new Totals(r.count(), r.sum(), r.invalid(), r.total());
        }

        Totals at(Span span, long millis) {
            long[] t = rings.get(span).at(millis);
            return new Totals(t[0], t[1], t[2], t[3]);
        }

        boolean idleAt(long millis) {
            return rings.get(Span.DAY).idleAt(millis);
        }
    }

    /** Everything kept for one startup. */
    private static final class StartupWindows {

        final Windows all = new Windows();
        final Map<String, Windows> customers = new HashMap<>();
        final Map<String, Windows> counterparties = new HashMap<>();
        final Set<String> onboarded = new HashSet<>();
        long latestMillis = Long.MIN_VALUE;
        long evictedAtBucket = Long.MIN_VALUE;

        void evictIdle() {
            Ring day = all.rings.get(Span.DAY);
            long head = day.head();
            if (head == evictedAtBucket) {
                return;
            }
            evictedAtBucket = head;
            long now = (head + 1) * Span.DAY.bucket().toMillis() - 1;
            evict(customers, now);
            evict(counterparties, now);
        }

        private static void evict(Map<String, Windows> keyed, long now) {
            for (Iterator<Windows> it = keyed.values().iterator(); it.hasNext();) {
                if (it.next().idleAt(now)) {
                    it.remove();
                }
            }
        }
    }
}
