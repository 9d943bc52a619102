package org.lesiontriage.triage.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lesiontriage.contracts.ClassProbability;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.ModelRef;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.inference.ModelDescriptor;

/** Maps a scored image to its TriageResult; the model card's threshold decides the priority. */
public final class TriageResultFactory {

    private final ModelDescriptor model;
    private final ModelRef modelRef;

    public TriageResultFactory(ModelDescriptor model) {
        this.model = model;
        this.modelRef = modelRef(model);
    }

    public static ModelRef modelRef(ModelDescriptor model) {
        return new ModelRef(model.name(), model.version(), model.sha256());
    }

    /** Timings of the batch an image was scored in. */
    public record BatchTiming(long startedAtMs, long scoredAtMs, double inferenceMs, int batchSize) {
    }

    public TriageResult create(LesionImageEvent event, long receivedAtMs, float[] probabilities, BatchTiming batch) {
        List<ClassProbability> perClass = new ArrayList<>(probabilities.length);
        int predicted = 0;
        for (int i = 0; i < probabilities.length; i++) {
            perClass.add(new ClassProbability(model.classLabels().get(i), (double) probabilities[i]));
            if (probabilities[i] > probabilities[predicted]) {
                predicted = i;
            }
        }
        double melanoma = probabilities[model.positiveClassIndex()];
        return TriageResult.newBuilder()
                .setEventId(event.getEventId())
                .setClinicId(event.getClinicId())
                .setCaseRef(event.getCaseRef())
                .setProbabilities(perClass)
                .setPredictedClass(model.classLabels().get(predicted))
                .setPriority(melanoma >= model.threshold() ? TriagePriority.URGENT : TriagePriority.ROUTINE)
                .setMelanomaProbability(melanoma)
                .setThreshold(model.threshold())
                .setModel(modelRef)
                .setCapturedAt(event.getCapturedAt())
                .setReceivedAt(Instant.ofEpochMilli(receivedAtMs))
                .setScoredAt(Instant.ofEpochMilli(batch.scoredAtMs()))
                .setQueueTimeMs(Math.max(0, batch.startedAtMs() - receivedAtMs))
                .setInferenceTimeMs(batch.inferenceMs())
                .setBatchSize(batch.batchSize())
                .build();
    }
}
