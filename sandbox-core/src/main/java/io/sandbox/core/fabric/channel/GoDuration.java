package io.sandbox.core.fabric.channel;

import java.time.Duration;

/** Formats a duration the way Go's {@code time.Duration.String()} does (configtxgen stores BatchTimeout so). */
final class GoDuration {

    private GoDuration() {}

    static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        nanos = Math.abs(nanos);
        if (nanos < 1_000L) {
            return sign + nanos + "ns";
        }
        if (nanos < 1_000_000L) {
            return sign + fraction(nanos, 1_000L) + "µs";
        }
        if (nanos < 1_000_000_000L) {
            return sign + fraction(nanos, 1_000_000L) + "ms";
        }
        long hours = nanos / 3_600_000_000_000L;
        long minutes = (nanos / 60_000_000_000L) % 60;
        long secNanos = nanos % 60_000_000_000L;
        StringBuilder out = new StringBuilder(sign);
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(fraction(secNanos, 1_000_000_000L)).append('s').toString();
    }

    /** {@code value / unit} with the fractional part's trailing zeros removed. */
    private static String fraction(long value, long unit) {
        long whole = value / unit;
        long rest = value % unit;
        if (rest == 0) {
            return Long.toString(whole);
        }
        int digits = Long.toString(unit).length() - 1;
        String frac = String.format("%0" + digits + "d", rest).replaceAll("0+$", "");
        return whole + "." + frac;
    }
}
