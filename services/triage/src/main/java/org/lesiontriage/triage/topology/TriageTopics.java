package org.lesiontriage.triage.topology;

import org.lesiontriage.contracts.Topics;

/** The topic names one triage topology reads and writes (the live service and a re-score job differ). */
public record TriageTopics(String images, String results, String failures) {

    public static TriageTopics defaults() {
        return new TriageTopics(Topics.LESION_IMAGES, Topics.TRIAGE_RESULTS, Topics.TRIAGE_FAILURES);
    }
}
