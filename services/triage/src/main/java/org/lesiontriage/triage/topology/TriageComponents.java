package org.lesiontriage.triage.topology;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.registry.SpecificAvroDeserializer;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.failures.AttemptLedger;
import org.lesiontriage.triage.failures.PoisonPolicy;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.imaging.PreprocessingPool;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.inference.ModelDescriptor;
import org.lesiontriage.triage.lifecycle.ModelKey;
import org.lesiontriage.triage.lifecycle.ScoringModel;
import org.lesiontriage.triage.lifecycle.ScoringModels;

/** What the triage topology is made of; shared by all stream tasks (each part is thread-safe). */
public record TriageComponents(
        LesionEventReader eventReader,
        PreprocessingPool preprocessing,
        ScoringModels models,
        BatchPolicy batchPolicy,
        DeadLetterFactory deadLetters,
        TriageMetrics metrics,
        AttemptLedger attemptLedger,
        PoisonPolicy poisonPolicy,
        java.time.Duration shadowMaxLag) {

    /** Images that may wait for a decoding thread, in batches: enough for the next batch while one runs. */
    private static final int QUEUED_IMAGES_PER_BATCH = 2;

    /** The preprocessing of the model that scores new input now. */
    public ImagePreprocessor preprocessor() {
        return models.current().preprocessor();
    }

    /** One model for every record: see {@link ScoringModels#fixed}. */
    public static ScoringModels fixedModel(LesionClassifier classifier, ImageLimits limits) {
        ModelDescriptor model = classifier.descriptor();
        return ScoringModels.fixed(new ScoringModel(new ModelKey(model.name(), model.version()), classifier,
                new ImagePreprocessor(limits, model.inputHeight(), model.inputWidth()), 0));
    }

    /**
     * The components around the models that score: the live service, a re-score job and the tests assemble them the
     * same way, so a replay scores exactly as the live path does.
     */
    public static TriageComponents assemble(ScoringModels models, BatchPolicy batching, Map<String, ?> serdeConfig,
                                            MeterRegistry meters, AttemptLedger attemptLedger, PoisonPolicy poisonPolicy,
                                            long deadLetterMaxOriginalBytes, int preprocessThreads,
                                            java.time.Duration shadowMaxLag) {
        var deserializer = new SpecificAvroDeserializer<>(LesionImageEvent.class);
        deserializer.configure(serdeConfig, false);
        return new TriageComponents(new LesionEventReader(deserializer),
                new PreprocessingPool(models.current().preprocessor(), preprocessThreads,
                        QUEUED_IMAGES_PER_BATCH * batching.maxSize()),
                models, batching, new DeadLetterFactory(deadLetterMaxOriginalBytes),
                new TriageMetrics(meters), attemptLedger, poisonPolicy, shadowMaxLag);
    }
}
