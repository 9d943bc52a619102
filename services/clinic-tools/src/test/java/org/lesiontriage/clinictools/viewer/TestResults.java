package org.lesiontriage.clinictools.viewer;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.lesiontriage.contracts.ClassProbability;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.ModelRef;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;

/** Builds the records the triage service would write, for tests that play the service. */
final class TestResults {

    static final ModelRef MODEL = ModelRef.newBuilder().setName("proposed").setVersion("1.0.0")
            .setSha256("3f2a9c01d4e5aa00bb11cc22dd33ee44ff5566778899aabbccddeeff00112233").build();

    private TestResults() {
    }

    static TriageResult result(String eventId, String clinicId, String caseRef, double pMelanoma, double threshold,
            Instant capturedAt, long latencyMs, int batchSize) {
        return TriageResult.newBuilder()
                .setEventId(UUID.fromString(eventId))
                .setClinicId(clinicId)
                .setCaseRef(caseRef)
                .setProbabilities(List.of(new ClassProbability("non_melanoma", 1 - pMelanoma),
                        new ClassProbability("melanoma", pMelanoma)))
                .setPredictedClass(pMelanoma >= 0.5 ? "melanoma" : "non_melanoma")
                .setPriority(pMelanoma >= threshold ? TriagePriority.URGENT : TriagePriority.ROUTINE)
                .setMelanomaProbability(pMelanoma)
                .setThreshold(threshold)
                .setModel(MODEL)
                .setCapturedAt(capturedAt)
                .setReceivedAt(capturedAt.plusMillis(latencyMs / 2))
                .setScoredAt(capturedAt.plusMillis(latencyMs))
                .setQueueTimeMs(latencyMs / 4)
                .setInferenceTimeMs(3.5)
                .setBatchSize(batchSize)
                .build();
    }

    static DeadLetter deadLetter(String eventId, String reasonCode) {
        return DeadLetter.newBuilder()
                .setReasonCode(reasonCode)
                .setMessage("test")
                .setSourceTopic("lesion-images")
                .setSourcePartition(0)
                .setSourceOffset(1)
                .setEventId(eventId)
                .setFailedAt(Instant.now())
                .build();
    }
}
