package org.lesiontriage.bench.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PercentilesTest {

    @Test
    void nearestRankOnOneToHundred() {
        double[] sample = new double[100];
        for (int i = 0; i < sample.length; i++) {
            sample[sample.length - 1 - i] = i + 1; // unsorted on purpose
        }
        Percentiles percentiles = new Percentiles(sample);
        assertThat(percentiles.at(50)).isEqualTo(50);
        assertThat(percentiles.at(99)).isEqualTo(99);
        assertThat(percentiles.max()).isEqualTo(100);
        assertThat(percentiles.mean()).isEqualTo(50.5);
    }

    @Test
    void smallSamplesReportTheirOwnValues() {
        Percentiles one = new Percentiles(new double[] {7});
        assertThat(one.at(0)).isEqualTo(7);
        assertThat(one.at(99)).isEqualTo(7);
        assertThat(new Percentiles(new double[0]).at(50)).isNaN();
    }
}
