package org.lesiontriage.triage.rescore;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.InferenceOptions;

/**
 * How re-score jobs connect and score: the same Kafka client settings (security included), registry, image
 * limits and batching as the live service, and a folder that keeps each job's plan and state.
 *
 * @param kafkaClientConfig bootstrap servers and any client settings (security) every Kafka client of a job gets
 * @param liveTopics        the live service's outputs, which a replay must never write into
 */
public record ReplaySettings(Map<String, Object> kafkaClientConfig, Map<String, ?> serdeConfig, Path workDir,
                             InferenceOptions inference, ImageLimits limits, BatchPolicy batching,
                             Set<String> liveTopics) {

    public ReplaySettings {
        kafkaClientConfig = Map.copyOf(kafkaClientConfig);
        serdeConfig = Map.copyOf(serdeConfig);
        liveTopics = Set.copyOf(liveTopics);
    }

    /** A job's own folder: its plan, its Kafka Streams state and, once done, its report. */
    Path jobDir(String jobId) {
        return workDir.resolve(jobId);
    }
}
