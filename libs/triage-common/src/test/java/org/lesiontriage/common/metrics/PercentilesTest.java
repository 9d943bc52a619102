package org.lesiontriage.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PercentilesTest {

    @Test
    void nearestRankOfTenShuffledValues() {
        List<Long> values = new ArrayList<>(LongStream.rangeClosed(1, 10).boxed().toList());
        Collections.shuffle(values, new Random(7));
        Percentiles p = Percentiles.of(values);
        assertThat(p.percentile(10)).isEqualTo(1L);
        assertThat(p.percentile(50)).isEqualTo(5L);   // rank ceil(5.0) = 5
        assertThat(p.percentile(51)).isEqualTo(6L);   // rank ceil(5.1) = 6
        assertThat(p.percentile(95)).isEqualTo(10L);  // rank ceil(9.5) = 10
        assertThat(p.percentile(100)).isEqualTo(10L);
        assertThat(p.max()).isEqualTo(10L);
    }

    @Test
    void exactRanksDoNotRoundUpByFloatingPointError() {
        Percentiles p = Percentiles.of(LongStream.rangeClosed(1, 20).boxed().toList());
        assertThat(p.percentile(95)).isEqualTo(19L);  // 95 * 20 / 100 = 19 exactly
        Percentiles hundred = Percentiles.of(LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(hundred.percentile(99)).isEqualTo(99L);
    }

    @Test
    void singleValueEmptyAndBadPercentile() {
        assertThat(Percentiles.of(List.of(42L)).percentile(1)).isEqualTo(42L);
        assertThat(Percentiles.of(List.of()).percentile(50)).isNull();
        assertThat(Percentiles.of(List.of()).max()).isNull();
        assertThatThrownBy(() -> Percentiles.of(List.of(1L)).percentile(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fractionalSamplesForTheBenchmarks() {
        double[] sample = new double[100];
        for (int i = 0; i < sample.length; i++) {
            sample[sample.length - 1 - i] = i + 1; // unsorted on purpose
        }
        Percentiles p = Percentiles.of(sample);
        assertThat(p.at(50)).isEqualTo(50);
        assertThat(p.at(99)).isEqualTo(99);
        assertThat(p.at(0)).as("the smallest value").isEqualTo(1);
        assertThat(p.summary()).containsEntry("max", 100.0).containsEntry("mean", 50.5);
        assertThat(Percentiles.of(new double[] {7}).at(99)).isEqualTo(7);
        assertThat(Percentiles.of(new double[0]).at(50)).isNaN();
    }
}
