package org.lesiontriage.triage.rescore;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lesiontriage.triage.config.TriageConfig;
import org.lesiontriage.triage.pipeline.PipelineAssembly;

/**
 * How re-score jobs connect and score: through the live service's pipeline settings (Kafka clients with their
 * security, registry, image limits, batching, inference), and a folder that keeps each job's plan and state.
 *
 * @param liveTopics        the live service's configured topics (images, results, dead letters): never written
 * @param liveApplicationId the live service's application id: its internal topics start with it
 */
public record RescoreSettings(PipelineAssembly pipeline, Path workDir, Set<String> liveTopics, String liveApplicationId) {

    public RescoreSettings {
        liveTopics = Set.copyOf(liveTopics);
    }

    /** Everything from the pipeline's configuration: triage.rescore.work-dir, triage.topics.*, the application id. */
    public static RescoreSettings from(PipelineAssembly pipeline) {
        TriageConfig config = pipeline.config();
        TriageConfig.TopicNames topics = config.topics();
        return new RescoreSettings(pipeline, Path.of(config.rescore().workDir()),
                Set.of(topics.images(), topics.results(), topics.failures()), pipeline.settings().applicationId());
    }

    /** Why the request's outputs must not be written, if they must not: a replay never touches the live flow. */
    public Optional<String> refusal(RescoreRequest request) {
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
