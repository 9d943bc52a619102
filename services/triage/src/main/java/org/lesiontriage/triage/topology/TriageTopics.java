package org.lesiontriage.triage.topology;

/**
 * The topic names one triage topology reads and writes (the live service and a re-score job differ); the
 * configured ones come from {@code PipelineAssembly.topics()}.
 */
public record TriageTopics(String images, String results, String failures) {
}
