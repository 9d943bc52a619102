package org.lesiontriage.dashboard.testing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.lesiontriage.contracts.ClassProbability;
import org.lesiontriage.contracts.ModelRef;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;

/** TriageResults as the service writes them, for tests: p(melanoma) decides the priority at threshold 0.3. */
public final class Results {

    public static final double THRESHOLD = 0.3;

    private Results() {
    }

    public static TriageResult result(String caseRef, String clinic, double pMelanoma, Instant receivedAt) {
        return result(UUID.randomUUID(), caseRef, clinic, pMelanoma, receivedAt);
    }

    public static TriageResult result(UUID eventId, String caseRef, String clinic, double pMelanoma, Instant receivedAt) {
        return TriageResult.newBuilder()
                .setEventId(eventId)
                .setClinicId(clinic)
                .setCaseRef(caseRef)
                .setProbabilities(List.of(new ClassProbability("melanoma", pMelanoma),
                        new ClassProbability("non_melanoma", 1 - pMelanoma)))
                .setPredictedClass(pMelanoma >= 0.5 ? "melanoma" : "non_melanoma")
                .setPriority(pMelanoma >= THRESHOLD ? TriagePriority.URGENT : TriagePriority.ROUTINE)
                .setMelanomaProbability(pMelanoma)
                .setThreshold(THRESHOLD)
                .setModel(new ModelRef("triagenet", "2.0.0", "d59761a05065"))
                .setCapturedAt(receivedAt.minusSeconds(60))
                .setReceivedAt(receivedAt)
                .setScoredAt(receivedAt.plusMillis(40))
                .setQueueTimeMs(10)
                .setInferenceTimeMs(20.5)
                .setBatchSize(4)
                .build();
    }
}
