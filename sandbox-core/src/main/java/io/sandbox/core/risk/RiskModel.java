package io.sandbox.core.risk;

import io.sandbox.core.rules.Severity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The risk formula (docs/risk.md): five components, each mapped to 0..100 with saturation, weighted and summed;
 * a SEVERE breach lifts the score to at least {@code 70 + 10 × severe breaches}. Pure and deterministic.
 *
 * <table>
 * <caption>Components</caption>
 * <tr><th>component</th><th>weight</th><th>0..100 mapping</th></tr>
 * <tr><td>breaches</td><td>0.35</td><td>min(100, 50·SEVERE + 20·HIGH + 5·MEDIUM + 1·LOW)</td></tr>
 * <tr><td>velocity</td><td>0.15</td><td>r = hourCount / max(baseline, 1): 0 at r ≤ 1, 100 at r ≥ 5, linear
 * between; 0 without a baseline</td></tr>
 * <tr><td>invalid</td><td>0.15</td><td>invalid ratio: 0 at 0, 100 at ≥ 0.25, linear</td></tr>
 * <tr><td>concentration</td><td>0.10</td><td>HHI: 0 at ≤ 0.25, 100 at 1, linear</td></tr>
 * <tr><td>utilisation</td><td>0.25</td><td>highest permit utilisation: 0 at ≤ 0.5, 100 at ≥ 1, linear</td></tr>
 * </table>
 */
public final class RiskModel {

    public static final double W_BREACHES = 0.35;
    public static final double W_VELOCITY = 0.15;
    public static final double W_INVALID = 0.15;
    public static final double W_CONCENTRATION = 0.10;
    public static final double W_UTILISATION = 0.25;

    private RiskModel() {
    }

    /** The score of these inputs. */
    public static RiskScore score(RiskInputs in) {
        double breaches = Math.min(100, 50.0 * in.breaches(Severity.SEVERE) + 20.0 * in.breaches(Severity.HIGH)
                + 5.0 * in.breaches(Severity.MEDIUM) + 1.0 * in.breaches(Severity.LOW));
        double velocity = 0;
        if (in.baselineHours() > 0) {
            double ratio = in.hourCount() / Math.max(in.hourlyBaseline(), 1.0);
            velocity = ramp(ratio, 1, 5);
        }
        double invalid = ramp(in.invalidRatio(), 0, 0.25);
        double concentration = ramp(in.counterpartyHhi(), 0.25, 1);
        double highest = in.utilisation().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double utilisation = ramp(highest, 0.5, 1);

        double score = W_BREACHES * breaches + W_VELOCITY * velocity + W_INVALID * invalid
                + W_CONCENTRATION * concentration + W_UTILISATION * utilisation;
        long severe = in.breaches(Severity.SEVERE);
        if (severe > 0) {
            score = Math.max(score, Math.min(100, 70 + 10.0 * severe));
        }
        Map<String, Double> components = new LinkedHashMap<>();
        components.put("breaches", round(breaches));
        components.put("velocity", round(velocity));
        components.put("invalid", round(invalid));
        components.put("concentration", round(concentration));
        components.put("utilisation", round(utilisation));
        return new RiskScore(round(Math.min(100, Math.max(0, score))), components);
    }

    /** 0 at or below {@code from}, 100 at or above {@code to}, linear between (NaN counts as 0). */
    static double ramp(double value, double from, double to) {
        if (Double.isNaN(value) || value <= from) {
            return 0;
        }
        if (value >= to) {
            return 100;
        }
        return 100 * (value - from) / (to - from);
    }

    static double round(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }
}
