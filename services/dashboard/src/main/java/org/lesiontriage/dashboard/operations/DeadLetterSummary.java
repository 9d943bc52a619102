package org.lesiontriage.dashboard.operations;

import java.nio.ByteBuffer;
import org.lesiontriage.contracts.DeadLetter;

/**
 * A dead letter's metadata, for the operator view: never its bytes, and not its key either (the key is the case
 * reference, which only clinicians see); only their sizes.
 */
public record DeadLetterSummary(String reasonCode, String message, String sourceTopic, int sourcePartition,
                                long sourceOffset, String eventId, long failedAtMs, String model, Integer keyBytes,
                                Integer valueBytes) {

    public static DeadLetterSummary of(DeadLetter letter) {
        return new DeadLetterSummary(letter.getReasonCode(), letter.getMessage(), letter.getSourceTopic(),
                letter.getSourcePartition(), letter.getSourceOffset(), letter.getEventId(),
                letter.getFailedAt().toEpochMilli(),
                letter.getModel() == null ? null : letter.getModel().getName() + " " + letter.getModel().getVersion(),
                size(letter.getOriginalKey()), size(letter.getOriginalValue()));
    }

    private static Integer size(ByteBuffer bytes) {
        return bytes == null ? null : bytes.remaining();
    }
}
