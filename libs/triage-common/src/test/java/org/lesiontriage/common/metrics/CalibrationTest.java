package org.lesiontriage.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CalibrationTest {

    @Test
    void aModelEightyPercentSureAndRightFourTimesInFiveIsCalibrated() {
        List<BinaryTriageMetrics.Observation> observations = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // p(melanoma) 0.2: confident at 0.8 in "not melanoma", wrong for one image in five
            observations.add(new BinaryTriageMetrics.Observation(i % 5 == 0, 0.2, false));
        }
        Calibration calibration = Calibration.of(observations);
        assertThat(calibration.ece()).isCloseTo(0.0, within(1e-12));
        assertThat(calibration.brier()).isCloseTo(0.2 * 0.64 + 0.8 * 0.04, within(1e-12));
    }

    @Test
    void anOverconfidentModelHasTheGapBetweenConfidenceAndAccuracyAsItsError() {
        List<BinaryTriageMetrics.Observation> observations = List.of(
                new BinaryTriageMetrics.Observation(true, 0.9, true),
                new BinaryTriageMetrics.Observation(false, 0.9, true));
        assertThat(Calibration.of(observations).ece()).isCloseTo(0.4, within(1e-12));
        assertThat(Calibration.of(List.of()).ece()).isNaN();
    }
}
