package org.lesiontriage.bench.e2e;

import java.util.List;
import java.util.Map;

/**
 * Pipeline efficiency = the CPU an event's work needs / the CPU the service's threads spent per event.
 *
 * <p>The work: decoding + preprocessing its image (ms per image on one thread, from {@link StageProfile}) plus its
 * share of inference at the max batch, as CPU: the stage's wall ms per image x the ONNX Runtime intra-op threads
 * (all of them compute during a batch; with spinning off that slightly overstates the CPU). The service:
 * {@link CpuGroup#SERVICE}. So 1.0 means the service spends nothing beyond decode and batched inference; Kafka
 * (fetch, produce, changelog, transactions), Avro, batching, and smaller batches than the max lower it.
 */
final class PipelineEfficiency {

    private PipelineEfficiency() {
    }

    /** The work of one event in CPU ms: decode + preprocess, plus inference at the max batch x its threads. */
    static double workCpuMsPerEvent(Map<String, Double> stageMsPerImage, int onnxRuntimeThreads) {
        return stageMsPerImage.get("image_decode_preprocess")
                + stageMsPerImage.get("inference_at_max_batch") * onnxRuntimeThreads;
    }

    /** Adds "work_cpu_ms_per_event" and "pipeline_efficiency" to each scenario row that has the service's CPU. */
    static void annotate(List<Map<String, Object>> rows, double workCpuMsPerEvent) {
        for (Map<String, Object> row : rows) {
            if (row.get("service_cpu_ms_per_event") instanceof Double service && service > 0) {
                row.put("work_cpu_ms_per_event", workCpuMsPerEvent);
                row.put("pipeline_efficiency", workCpuMsPerEvent / service);
            }
        }
    }
}
