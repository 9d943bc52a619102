package org.lesiontriage.bench.precision;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lesiontriage.common.metrics.BinaryTriageMetrics;
import org.lesiontriage.triage.inference.LesionClassifier;

/**
 * The reference model and its variant on the same labelled tensors: ROC AUC, sensitivity and specificity at
 * each model's own threshold, and how far the variant's p(melanoma) moves from the reference's.
 */
final class PrecisionAgreement {

    private static final int BATCH = 32;

    private PrecisionAgreement() {
    }

    static Map<String, Object> measure(LesionClassifier reference, LesionClassifier variant, LabelledImages images)
            throws Exception {
        double[] p = melanomaProbabilities(reference, images);
        double[] q = melanomaProbabilities(variant, images);
        BinaryTriageMetrics before = metrics(p, images.melanoma(), reference.descriptor().threshold());
        BinaryTriageMetrics after = metrics(q, images.melanoma(), variant.descriptor().threshold());
        double maxDelta = 0;
        double sumDelta = 0;
        int flips = 0;
        String worst = "";
        for (int i = 0; i < p.length; i++) {
            double delta = Math.abs(q[i] - p[i]);
            sumDelta += delta;
            if (delta > maxDelta) {
                maxDelta = delta;
                worst = images.names().get(i);
            }
            if ((p[i] >= reference.descriptor().threshold()) != (q[i] >= variant.descriptor().threshold())) {
                flips++;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", p.length);
        out.put("melanoma", count(images.melanoma()));
        out.put("reference", summary(before, reference.descriptor().threshold()));
        out.put("variant", summary(after, variant.descriptor().threshold()));
        out.put("auc_difference", after.auc() - before.auc());
        out.put("max_abs_delta_p_melanoma", maxDelta);
        out.put("max_abs_delta_image", worst);
        out.put("mean_abs_delta_p_melanoma", sumDelta / p.length);
        out.put("priority_changes", flips);
        return out;
    }

    static double[] melanomaProbabilities(LesionClassifier classifier, LabelledImages images) throws Exception {
        FloatBuffer batch = classifier.newBatchBuffer(BATCH);
        int positive = classifier.descriptor().positiveClassIndex();
        double[] out = new double[images.size()];
        for (int from = 0; from < images.size(); from += BATCH) {
            int count = Math.min(BATCH, images.size() - from);
            images.fill(batch, from, count);
            float[][] probabilities = classifier.classify(batch, count);
            for (int i = 0; i < count; i++) {
                out[from + i] = probabilities[i][positive];
            }
        }
        return out;
    }

    private static BinaryTriageMetrics metrics(double[] p, boolean[] melanoma, double threshold) {
        List<BinaryTriageMetrics.Observation> observations = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            observations.add(new BinaryTriageMetrics.Observation(melanoma[i], p[i], p[i] >= threshold));
        }
        return BinaryTriageMetrics.of(observations);
    }

    private static Map<String, Object> summary(BinaryTriageMetrics m, double threshold) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roc_auc", m.auc());
        out.put("threshold", threshold);
        out.put("sensitivity", m.sensitivity());
        out.put("specificity", m.specificity());
        out.put("confusion_matrix", m.trainingLayout());
        return out;
    }

    private static int count(boolean[] values) {
        int n = 0;
        for (boolean v : values) {
            n += v ? 1 : 0;
        }
        return n;
    }
}
