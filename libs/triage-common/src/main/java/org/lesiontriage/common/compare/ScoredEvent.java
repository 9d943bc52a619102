package org.lesiontriage.common.compare;

/** What a comparison needs of one triage result. */
public record ScoredEvent(String eventId, double melanomaProbability, boolean urgent, String model) {
}
