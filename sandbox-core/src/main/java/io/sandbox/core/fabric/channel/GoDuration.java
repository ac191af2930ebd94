package io.sandbox.core.fabric.channel;

import java.time.Duration;

/**
 * Go's duration text, as Fabric stores it (BatchTimeout in channel config, {@code dial_timeout} in
 * {@code connection.json}): {@link #format} as {@code time.Duration.String()}, {@link #parse} as
 * {@code time.ParseDuration}.
 */
public final class GoDuration {

    private static final java.util.regex.Pattern PART =
            java.util.regex.Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");

    private GoDuration() {}

    public static String format(Duration duration) {
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

    /** Parses a Go {@code time.ParseDuration} string, e.g. {@code "10s"}, {@code "1m30s"}, {@code "1.5h"}. */
    public static Duration parse(String text) {
        java.util.Objects.requireNonNull(text, "text");
        String s = text.trim();
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        java.util.regex.Matcher m = PART.matcher(s);
        java.math.BigDecimal nanos = java.math.BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
            }
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(unit)));
            at = m.end();
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
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
