package org.lesiontriage.triage.topology;

/**
 * The topic names one triage topology reads and writes (the live service and a re-score job differ); the
 * configured ones come from {@code PipelineAssembly.topics()}.
 */
public record TriageTopics(String images, String results, String failures, String shadowResults) {

    /** Topics without a shadow topic of their own (a re-score job's: it scores with no shadow). */
    public TriageTopics(String images, String results, String failures) {
        this(images, results, failures, org.lesiontriage.contracts.Topics.SHADOW_RESULTS);
    }
}
