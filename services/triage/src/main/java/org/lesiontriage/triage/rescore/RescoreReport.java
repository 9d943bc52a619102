package org.lesiontriage.triage.rescore;

import java.time.Instant;

/**
 * What a completed replay did.
 *
 * @param eventsInRange   events between the plan's start and end offsets
 * @param lostToRetention events of the range the topic's retention deleted before the job read them
 * @param resultsThisRun  results written by this run (a resumed job's earlier runs wrote the rest)
 * @param deadLettersThisRun dead letters written by this run
 * @param replaySeconds   from the job's stream running to its last commit (model load and start-up excluded)
 * @param eventsPerSecond answers of this run per replay second
 * @param meanBatchSize   images per model run
 */
public record RescoreReport(String jobId, String modelName, String modelVersion, double threshold,
                           String sourceTopic, String resultsTopic, String failuresTopic, long eventsInRange,
                           long lostToRetention, long resultsThisRun, long deadLettersThisRun, boolean resumed, double replaySeconds,
                           double eventsPerSecond, double meanBatchSize, Instant completedAt) {
}
