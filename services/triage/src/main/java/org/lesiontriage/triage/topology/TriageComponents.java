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

/** What the triage topology is made of; shared by all stream tasks (each part is thread-safe). */
public record TriageComponents(
        LesionEventReader eventReader,
        PreprocessingPool preprocessing,
        LesionClassifier classifier,
        BatchPolicy batchPolicy,
        TriageResultFactory results,
        DeadLetterFactory deadLetters,
        TriageMetrics metrics,
        AttemptLedger attemptLedger,
        PoisonPolicy poisonPolicy) {

    /** Images that may wait for a decoding thread, in batches: enough for the next batch while one runs. */
    private static final int QUEUED_IMAGES_PER_BATCH = 2;

    public ImagePreprocessor preprocessor() {
        return preprocessing.preprocessor();
    }

    /**
     * The components around a loaded model: the live service, a re-score job and the tests assemble them the
     * same way, so a replay scores exactly as the live path does.
     */
    public static TriageComponents assemble(LesionClassifier classifier, ImageLimits limits, BatchPolicy batching,
                                            Map<String, ?> serdeConfig, MeterRegistry meters,
                                            AttemptLedger attemptLedger, PoisonPolicy poisonPolicy,
                                            long deadLetterMaxOriginalBytes, int preprocessThreads) {
        ModelDescriptor model = classifier.descriptor();
        var deserializer = new SpecificAvroDeserializer<>(LesionImageEvent.class);
        deserializer.configure(serdeConfig, false);
        return new TriageComponents(new LesionEventReader(deserializer),
                new PreprocessingPool(new ImagePreprocessor(limits, model.inputHeight(), model.inputWidth()),
                        preprocessThreads, QUEUED_IMAGES_PER_BATCH * batching.maxSize()),
                classifier, batching,
                new TriageResultFactory(model), new DeadLetterFactory(TriageResultFactory.modelRef(model), deadLetterMaxOriginalBytes),
                new TriageMetrics(meters), attemptLedger, poisonPolicy);
    }
}
