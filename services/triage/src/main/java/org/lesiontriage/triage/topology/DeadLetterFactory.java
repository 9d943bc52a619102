package org.lesiontriage.triage.topology;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.ModelRef;

/** Builds the dead letter of a rejected input: reason, source coordinates and the original bytes. */
public final class DeadLetterFactory {

    private final ModelRef model;

    public DeadLetterFactory(ModelRef model) {
        this.model = model;
    }

    public DeadLetter create(SourceRecord source, RejectedInputException why, long failedAtMs) {
        return DeadLetter.newBuilder()
                .setReasonCode(why.reason().name())
                .setMessage(why.getMessage())
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setEventId(why.eventId())
                .setOriginalKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
                .setOriginalValue(source.value() == null ? null : ByteBuffer.wrap(source.value()))
                .setFailedAt(Instant.ofEpochMilli(failedAtMs))
                .setModel(model)
                .build();
    }
}
