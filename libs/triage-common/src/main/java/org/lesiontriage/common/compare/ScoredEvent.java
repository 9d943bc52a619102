package org.lesiontriage.common.compare;

/**
 * What a comparison needs of one triage result.
 *
 * @param receivedAtMs when the service received the image: what a comparison window selects on
 */
public record ScoredEvent(String eventId, double melanomaProbability, boolean urgent, String model, String clinicId,
                          long receivedAtMs) {
}
