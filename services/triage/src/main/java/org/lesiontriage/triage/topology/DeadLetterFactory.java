package org.lesiontriage.triage.topology;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.lesiontriage.contracts.Sha256;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.ModelRef;
import org.lesiontriage.triage.failures.RejectedInputException;

/**
 * Builds the dead letter of a rejected input: reason, source coordinates, the original bytes with their size and
 * SHA-256. A dead letter is the input plus an envelope, so an input close to the record limit would make a dead
 * letter over it, which no producer could send and the partition would stop on. Originals above
 * {@code maxOriginalBytes} are therefore left out ({@code original_value_omitted}); size, hash and coordinates
 * still identify them on the input topic.
 */
public final class DeadLetterFactory {

    private volatile long maxOriginalBytes;

    public DeadLetterFactory(long maxOriginalBytes) {
        this.maxOriginalBytes = maxOriginalBytes;
    }

    /** Lowers the bound to what the dead-letter topic actually accepts (see {@link DeadLetterTopicLimit}). */
    public void limitOriginalBytes(long max) {
        maxOriginalBytes = Math.min(maxOriginalBytes, max);
    }

    public long maxOriginalBytes() {
        return maxOriginalBytes;
    }

    /** @param model the version live at the record's offset (it would have scored the record) */
    public DeadLetter create(SourceRecord source, RejectedInputException why, long failedAtMs, ModelRef model) {
        byte[] value = source.value();
        boolean omitted = value != null && value.length > maxOriginalBytes;
        String message = why.getMessage();
        if (omitted) {
            message += " (original value of " + value.length + " bytes omitted: over the " + maxOriginalBytes
                    + "-byte limit for dead letters; it is on the source topic at these coordinates)";
        }
        return DeadLetter.newBuilder()
                .setReasonCode(why.reason().name())
                .setMessage(message)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setEventId(why.eventId())
                .setOriginalKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
                .setOriginalValue(value == null || omitted ? null : ByteBuffer.wrap(value))
                .setOriginalValueSize(value == null ? null : (long) value.length)
                .setOriginalValueSha256(value == null ? null : Sha256.hex(value))
                .setOriginalValueOmitted(omitted)
                .setFailedAt(Instant.ofEpochMilli(failedAtMs))
                .setModel(model)
                .build();
    }

}
