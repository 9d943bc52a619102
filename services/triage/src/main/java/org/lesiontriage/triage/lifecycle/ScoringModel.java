package org.lesiontriage.triage.lifecycle;

import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.inference.ModelDescriptor;

/**
 * A loaded model version and the preprocessing its contract asks for (its input size): what scores one batch.
 *
 * @param memoryBytes resident memory its loading added, measured (0 where not measured)
 */
public record ScoringModel(ModelKey key, LesionClassifier classifier, ImagePreprocessor preprocessor, long memoryBytes) {

    public ModelDescriptor descriptor() {
        return classifier.descriptor();
    }
}
