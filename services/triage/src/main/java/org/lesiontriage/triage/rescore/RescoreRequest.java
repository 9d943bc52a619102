package org.lesiontriage.triage.rescore;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to re-score: a range of the image topic, the model to score it with, and where the results go.
 *
 * @param jobId         names the job; the same id resumes it (its consumer group, state and plan)
 * @param sourceTopic   the image topic to replay
 * @param from          first record of the range (inclusive)
 * @param to            end of the range (exclusive); never beyond the topic's end when the job is planned
 * @param modelDir      folder with the model.onnx of the model version to score with
 * @param resultsTopic  re-scored results; never the live results topic
 * @param failuresTopic dead letters of the replay
 * @param asLive        score each offset with the version the rollout history says was live for it; modelDir is
 *                      then the version before the first rollout (the service's configured model)
 */
public record RescoreRequest(String jobId, String sourceTopic, RangeBound from, RangeBound to, Path modelDir,
                            String resultsTopic, String failuresTopic, boolean asLive) {

    /** A replay with one named version. */
    public RescoreRequest(String jobId, String sourceTopic, RangeBound from, RangeBound to, Path modelDir,
                          String resultsTopic, String failuresTopic) {
        this(jobId, sourceTopic, from, to, modelDir, resultsTopic, failuresTopic, false);
    }

    /** Job ids become consumer group ids, topic-name parts and folder names. */
    private static final String JOB_ID_PATTERN = "[A-Za-z0-9._-]{1,100}";

    public RescoreRequest {
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(modelDir, "modelDir");
        if (jobId == null || !jobId.matches(JOB_ID_PATTERN)) {
            throw new IllegalArgumentException("job id '" + jobId + "' must match " + JOB_ID_PATTERN);
        }
        if (resultsTopic == null || resultsTopic.isBlank()) {
            resultsTopic = "triage-rescore-" + jobId;
        }
        if (failuresTopic == null || failuresTopic.isBlank()) {
            failuresTopic = resultsTopic + "-failures";
        }
        if (resultsTopic.equals(sourceTopic) || failuresTopic.equals(sourceTopic)) {
            throw new IllegalArgumentException("a replay cannot write into the topic it reads (" + sourceTopic + ")");
        }
    }

    /** Its own Kafka Streams application: consumer group, transactional ids and internal topics of its own. */
    public String applicationId() {
        return "lesion-triage-rescore-" + jobId;
    }
}
