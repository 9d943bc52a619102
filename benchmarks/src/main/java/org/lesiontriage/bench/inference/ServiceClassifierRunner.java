package org.lesiontriage.bench.inference;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.inference.LesionClassifier;

/** The service's own inference path: LesionClassifier (graph optimisation ALL) fed a reused direct buffer. */
public final class ServiceClassifierRunner implements BatchRunner {

    private final LesionClassifier classifier;
    private final FloatBuffer batch;

    public ServiceClassifierRunner(Path modelDir, int threads, int maxBatch) {
        this(LesionClassifier.load(modelDir, InferenceOptions.cpu(threads)), maxBatch);
    }

    public ServiceClassifierRunner(LesionClassifier classifier, int maxBatch) {
        this.classifier = classifier;
        this.batch = classifier.newBatchBuffer(maxBatch);
        InputImages.fill(batch);
    }

    public LesionClassifier classifier() {
        return classifier;
    }

    @Override
    public void run(int batchSize) throws Exception {
        classifier.classify(batch, batchSize);
    }

    @Override
    public void close() {
        classifier.close();
    }

    /** Preprocessed-looking input: values in [0, 1); the speed of a dense CNN does not depend on them. */
    static final class InputImages {
        private InputImages() {
        }

        static void fill(FloatBuffer buffer) {
            Random random = new Random(42);
            for (int i = 0; i < buffer.capacity(); i++) {
                buffer.put(i, random.nextFloat());
            }
        }
    }
}
