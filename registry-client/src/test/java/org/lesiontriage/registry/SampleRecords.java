package org.lesiontriage.registry;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.lesiontriage.contracts.ClassProbability;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Modality;
import org.lesiontriage.contracts.ModelRef;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;

/** One filled-in record of each topic's type. */
final class SampleRecords {

    static final UUID EVENT_ID = UUID.fromString("5f0c3a52-8d7e-4a2b-9a51-3c2f1e0b7d64");
    static final Instant CAPTURED_AT = Instant.ofEpochMilli(1_767_225_600_000L);

    private SampleRecords() {
    }

    static LesionImageEvent lesionImageEvent() {
        return LesionImageEvent.newBuilder()
                .setEventId(EVENT_ID)
                .setClinicId("clinic-7")
                .setCaseRef("case-0042")
                .setCapturedAt(CAPTURED_AT)
                .setMediaType("image/jpeg")
                .setImage(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, 2, 3}))
                .setModality(Modality.DERMOSCOPIC)
                .setBodySite("upper back")
                .setDevice(null)
                .build();
    }

    static ModelRef modelRef() {
        return new ModelRef("proposed", "1.0.0", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }

    static TriageResult triageResult() {
        return TriageResult.newBuilder()
                .setEventId(EVENT_ID)
                .setClinicId("clinic-7")
                .setCaseRef("case-0042")
                .setProbabilities(List.of(new ClassProbability("melanoma", 0.81), new ClassProbability("nevus", 0.19)))
                .setPredictedClass("melanoma")
                .setPriority(TriagePriority.URGENT)
                .setMelanomaProbability(0.81)
                .setThreshold(0.3)
                .setModel(modelRef())
                .setCapturedAt(CAPTURED_AT)
                .setReceivedAt(CAPTURED_AT.plusSeconds(5))
                .setScoredAt(CAPTURED_AT.plusSeconds(6))
                .setQueueTimeMs(12L)
                .setInferenceTimeMs(48.5)
                .setBatchSize(4)
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setReasonCode("NOT_WIRE_FORMAT")
                .setMessage("Magic byte is 123, expected 0")
                .setSourceTopic("lesion-images")
                .setSourcePartition(3)
                .setSourceOffset(1234L)
                .setEventId(null)
                .setOriginalKey(ByteBuffer.wrap("case-0042".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {123, 34, 125}))
                .setFailedAt(CAPTURED_AT.plusSeconds(9))
                .setModel(modelRef())
                .build();
    }
}
