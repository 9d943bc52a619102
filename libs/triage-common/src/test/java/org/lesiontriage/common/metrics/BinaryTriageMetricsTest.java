package org.lesiontriage.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.common.metrics.BinaryTriageMetrics.Observation;

@Tag("unit")
class BinaryTriageMetricsTest {

    // 3 melanomas (0.9 U, 0.6 U, 0.3 R) and 4 non-melanomas (0.7 U, 0.3 R, 0.2 R, 0.1 R)
    private static final List<Observation> SMALL_RUN = List.of(
            new Observation(true, 0.9, true),
            new Observation(true, 0.6, true),
            new Observation(true, 0.3, false),
            new Observation(false, 0.7, true),
            new Observation(false, 0.3, false),
            new Observation(false, 0.2, false),
            new Observation(false, 0.1, false));

    @Test
    void confusionMatrixCountsUrgentAsPredictedPositive() {
        BinaryTriageMetrics m = BinaryTriageMetrics.of(SMALL_RUN);
        assertThat(m.truePositives()).isEqualTo(2);
        assertThat(m.falseNegatives()).isEqualTo(1);
        assertThat(m.falsePositives()).isEqualTo(1);
        assertThat(m.trueNegatives()).isEqualTo(3);
        assertThat(m.total()).isEqualTo(7);
        assertThat(m.trainingLayout()).isEqualTo(new int[][] {{3, 1}, {1, 2}});
    }

    @Test
    void ratiosByHand() {
        BinaryTriageMetrics m = BinaryTriageMetrics.of(SMALL_RUN);
        assertThat(m.sensitivity()).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(m.specificity()).isCloseTo(3.0 / 4, within(1e-15));
        assertThat(m.accuracy()).isCloseTo(5.0 / 7, within(1e-15));
        assertThat(m.balancedAccuracy()).isCloseTo(17.0 / 24, within(1e-15));
    }

    @Test
    void aucCountsTiesAsHalf() {
        // 12 pairs: 0.9 beats 4, 0.6 beats 3, 0.3 beats 2 and ties 1 -> 9.5 / 12
        assertThat(BinaryTriageMetrics.of(SMALL_RUN).auc()).isCloseTo(9.5 / 12, within(1e-15));
    }

    @Test
    void aucOfPerfectReversedAndConstantScores() {
        assertThat(BinaryTriageMetrics.of(List.of(new Observation(true, 0.8, true), new Observation(false, 0.2, false)))
                .auc()).isEqualTo(1.0);
        assertThat(BinaryTriageMetrics.of(List.of(new Observation(true, 0.2, false), new Observation(false, 0.8, true)))
                .auc()).isEqualTo(0.0);
        assertThat(BinaryTriageMetrics.of(List.of(
                new Observation(true, 0.5, true), new Observation(true, 0.5, true),
                new Observation(false, 0.5, true))).auc()).isEqualTo(0.5);
    }

    @Test
    void undefinedRatiosAreNaNNotZero() {
        BinaryTriageMetrics onlyBenign = BinaryTriageMetrics.of(List.of(new Observation(false, 0.1, false)));
        assertThat(onlyBenign.sensitivity()).isNaN();
        assertThat(onlyBenign.auc()).isNaN();
        assertThat(onlyBenign.specificity()).isEqualTo(1.0);
        assertThat(BinaryTriageMetrics.of(List.of()).accuracy()).isNaN();
    }
}
