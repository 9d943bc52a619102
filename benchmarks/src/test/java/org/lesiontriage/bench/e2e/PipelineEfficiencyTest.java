package org.lesiontriage.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PipelineEfficiencyTest {

    @Test
    void theWorkIsDecodePlusInferenceAtTheMaxBatchTimesItsThreads() {
        double work = PipelineEfficiency.workCpuMsPerEvent(
                Map.of("image_decode_preprocess", 1.5, "inference_at_max_batch", 2.0, "avro_decode_event", 9.0), 2);

        assertThat(work).isCloseTo(5.5, within(1e-9));
    }

    @Test
    void efficiencyIsTheWorkOverTheServicesCpuPerEventWhereThatWasMeasured() {
        Map<String, Object> measured = new HashMap<>(Map.of("service_cpu_ms_per_event", 11.0));
        Map<String, Object> unmeasured = new HashMap<>(Map.of("name", "no cpu"));

        PipelineEfficiency.annotate(List.of(measured, unmeasured), 5.5);

        assertThat((double) measured.get("pipeline_efficiency")).isCloseTo(0.5, within(1e-9));
        assertThat(measured).containsEntry("work_cpu_ms_per_event", 5.5);
        assertThat(unmeasured).doesNotContainKey("pipeline_efficiency");
    }
}
