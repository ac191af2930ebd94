package io.sandbox.core.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.sandbox.core.rules.Severity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RiskModelTest {

    /** The worked example of docs/risk.md. */
    static RiskInputs workedExample(long severe) {
        return new RiskInputs(Map.of(Severity.HIGH, 1L, Severity.MEDIUM, 2L, Severity.SEVERE, severe), 30, 10.0, 48,
                0.05, 0.4375, Map.of("customers", 0.8, "singleValue", 0.4, "dailyVolume", 0.7, "testWindow", 0.5));
    }

    @Test
    void workedExample() {
        RiskScore score = RiskModel.score(workedExample(0));

        assertThat(score.components()).containsExactly(entry("breaches", 30.0), entry("velocity", 50.0),
                entry("invalid", 20.0), entry("concentration", 25.0), entry("utilisation", 60.0));
        assertThat(score.score()).isEqualTo(38.5);
    }

    @Test
    void aSevereBreachDominates() {
        RiskScore one = RiskModel.score(workedExample(1));
        assertThat(one.components()).containsEntry("breaches", 80.0);
        assertThat(one.score()).isEqualTo(80.0);

        assertThat(RiskModel.score(workedExample(2)).score()).isEqualTo(90.0);
        assertThat(RiskModel.score(workedExample(5)).score()).isEqualTo(100.0);
    }

    @Test
    void nothingGoingOnScoresZero() {
        RiskScore score = RiskModel.score(new RiskInputs(Map.of(), 0, 0, 0, 0, 0, Map.of()));

        assertThat(score.score()).isZero();
        assertThat(score.components().values()).containsOnly(0.0);
    }

    @Test
    void everyComponentSaturatesAtOneHundred() {
        RiskScore score = RiskModel.score(new RiskInputs(Map.of(Severity.HIGH, 50L), 1_000, 2.0, 5, 0.9, 1.0,
                Map.of("dailyVolume", 3.0)));

        assertThat(score.components().values()).containsOnly(100.0);
        assertThat(score.score()).isEqualTo(100.0);
    }

    @Test
    void saturationEdges() {
        // velocity: 5× the baseline saturates, the baseline's floor is 1, no baseline → 0
        assertThat(RiskModel.score(inputs(5, 1.0, 3, 0, 0, 0)).components()).containsEntry("velocity", 100.0);
        assertThat(RiskModel.score(inputs(1, 0.2, 3, 0, 0, 0)).components()).containsEntry("velocity", 0.0);
        assertThat(RiskModel.score(inputs(500, 1.0, 0, 0, 0, 0)).components()).containsEntry("velocity", 0.0);
        // invalid ratio: a quarter saturates
        assertThat(RiskModel.score(inputs(0, 0, 0, 0.25, 0, 0)).components()).containsEntry("invalid", 100.0);
        // HHI: up to 0.25 is not concentrated
        assertThat(RiskModel.score(inputs(0, 0, 0, 0, 0.25, 0)).components()).containsEntry("concentration", 0.0);
        // utilisation: half is free, the whole saturates
        assertThat(RiskModel.score(inputs(0, 0, 0, 0, 0, 0.5)).components()).containsEntry("utilisation", 0.0);
        assertThat(RiskModel.score(inputs(0, 0, 0, 0, 0, 1.0)).components()).containsEntry("utilisation", 100.0);
        assertThat(RiskModel.score(inputs(0, 0, 0, 0, 0, 0.75)).score()).isEqualTo(12.5);
        // breaches: 100 caps the component
        assertThat(RiskModel.score(new RiskInputs(Map.of(Severity.LOW, 1_000L), 0, 0, 0, 0, 0, Map.of())).score())
                .isEqualTo(35.0);
    }

    private static RiskInputs inputs(long hour, double baseline, long hours, double invalid, double hhi, double used) {
        return new RiskInputs(Map.of(), hour, baseline, hours, invalid, hhi, Map.of("customers", used));
    }
}
