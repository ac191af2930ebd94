package io.sandbox.core.risk;

import io.sandbox.core.rules.Severity;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a startup's risk score is computed from (docs/risk.md).
 *
 * @param breaches        alerts by severity over the caller's look-back (e.g. open or raised in the last 7 days);
 *                        a missing severity counts 0
 * @param hourCount       transactions in the last hour
 * @param hourlyBaseline  the startup's usual transactions per hour (an EWMA of its completed hours)
 * @param baselineHours   how many completed hours the baseline has seen (0: no baseline yet, velocity counts 0)
 * @param invalidRatio    invalid over all transactions in the last day, 0..1
 * @param counterpartyHhi concentration of the last day's value over counterparties (Herfindahl-Hirschman index of
 *                        value shares), 0..1; 0 when there was no value
 * @param utilisation     per permit boundary, how much of it is used (0..1, above 1 when exceeded): keys
 *                        {@code customers}, {@code singleValue}, {@code dailyVolume}, {@code testWindow}; empty
 *                        without a permit
 */
public record RiskInputs(Map<Severity, Long> breaches, long hourCount, double hourlyBaseline, long baselineHours,
        double invalidRatio, double counterpartyHhi, Map<String, Double> utilisation) {

    public RiskInputs {
        EnumMap<Severity, Long> copy = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            Long n = breaches == null ? null : breaches.get(severity);
            copy.put(severity, n == null ? 0L : Math.max(n, 0L));
        }
        breaches = java.util.Collections.unmodifiableMap(copy);
        utilisation = utilisation == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(utilisation));
        utilisation.values().forEach(v -> Objects.requireNonNull(v, "utilisation value"));
    }

    /** Breaches of one severity. */
    public long breaches(Severity severity) {
        return breaches.get(severity);
    }
}
