package org.lesiontriage.triage.rescore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.InferenceOptions;

/**
 * How re-score jobs connect and score: the same Kafka client settings (security included), registry, image
 * limits and batching as the live service, and a folder that keeps each job's plan and state.
 *
 * @param kafkaClientConfig bootstrap servers and any client settings (security) every Kafka client of a job gets
 * @param liveTopics        the live service's topics (images, results, dead letters), which a replay never writes
 * @param liveApplicationId the live service's application id: its internal topics start with it
 */
public record ReplaySettings(Map<String, Object> kafkaClientConfig, Map<String, ?> serdeConfig, Path workDir,
                             InferenceOptions inference, ImageLimits limits, BatchPolicy batching,
                             Set<String> liveTopics, String liveApplicationId) {

    public ReplaySettings {
        kafkaClientConfig = Map.copyOf(kafkaClientConfig);
        serdeConfig = Map.copyOf(serdeConfig);
        liveTopics = Set.copyOf(liveTopics);
    }

    /** Why the request's outputs must not be written, if they must not: a replay never touches the live flow. */
    public Optional<String> refusal(ReplayRequest request) {
        for (String topic : List.of(request.resultsTopic(), request.failuresTopic())) {
            if (liveTopics.contains(topic)) {
                return Optional.of("refusing to write a replay into the live topic " + topic);
            }
            if (topic.startsWith(liveApplicationId + "-")) {
                return Optional.of("refusing to write a replay into " + topic + ", an internal topic of the live service");
            }
        }
        return Optional.empty();
    }

    /** A job's own folder: its plan, its Kafka Streams state and, once done, its report. */
    Path jobDir(String jobId) {
        return workDir.resolve(jobId);
    }
}
