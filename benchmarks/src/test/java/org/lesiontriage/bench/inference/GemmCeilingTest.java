package org.lesiontriage.bench.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class GemmCeilingTest {

    /** The graph benchmarks/scripts/model_flops.py --gemm-graph writes (benchmarks/tests/test_model_flops.py checks it is). */
    private static Path graph() throws URISyntaxException {
        return Path.of(GemmCeilingTest.class.getResource("/gemm.onnx").toURI());
    }

    @Test
    void anNByNProductIsTwoNCubedFlops() {
        assertThat(GemmCeiling.flop(1024)).isEqualTo(2.0 * 1024 * 1024 * 1024);
    }

    @Test
    void sustainedGflopsAreTheFlopsOfEveryRunOverTheMeasuredSeconds() throws Exception {
        try (GemmCeiling gemm = new GemmCeiling(graph(), 1)) {
            GemmCeiling.Result r = gemm.measure(64, new TimedLoop(0.0, 0.05, 3));

            assertThat(r.threads()).isEqualTo(1);
            assertThat(r.n()).isEqualTo(64);
            assertThat(r.runs()).isGreaterThanOrEqualTo(3);
            assertThat(r.gflops()).isPositive()
                    .isCloseTo(GemmCeiling.flop(64) * r.runs() / r.seconds() / 1e9, within(1e-9));
            assertThat(r.gflopsAtMedian()).isCloseTo(GemmCeiling.flop(64) / (r.medianMs() * 1e6), within(1e-9));
        }
    }

    @Test
    void theOperandsAreTheSameOnEveryRun() {
        assertThat(GemmCeiling.operand(8, 1)).isEqualTo(GemmCeiling.operand(8, 1));
        assertThat(GemmCeiling.operand(8, 1)).isNotEqualTo(GemmCeiling.operand(8, 2));
    }
}
