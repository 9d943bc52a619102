package org.lesiontriage.triage.topology;

import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.inference.LesionClassifier;

/** What the triage topology is made of; shared by all stream tasks (each part is thread-safe). */
public record TriageComponents(
        LesionEventReader eventReader,
        ImagePreprocessor preprocessor,
        LesionClassifier classifier,
        BatchPolicy batchPolicy,
        TriageResultFactory results,
        DeadLetterFactory deadLetters,
        TriageMetrics metrics) {
}
