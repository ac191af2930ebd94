package io.sandbox.core.risk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A startup's risk score.
 *
 * @param score      0..100, two decimals
 * @param components each component's own 0..100 value (before weighting): {@code breaches}, {@code velocity},
 *                   {@code invalid}, {@code concentration}, {@code utilisation}; weights in {@link RiskModel}
 */
public record RiskScore(double score, Map<String, Double> components) {

    public RiskScore {
        components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }
}
