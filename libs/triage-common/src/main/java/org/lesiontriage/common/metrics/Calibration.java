package org.lesiontriage.common.metrics;

import java.util.List;

/**
 * How well the probabilities match what happened: the Brier score of p(melanoma), and the top-label expected
 * calibration error (Guo et al. 2017) over 15 equal-width confidence bins, as the training module's model card
 * computes it: confidence = the larger class probability, correct = the argmax class is the true one. Both 0 for
 * a perfect model.
 */
public record Calibration(double brier, double ece) {

    public static final int BINS = 15;

    public static Calibration of(List<BinaryTriageMetrics.Observation> observations) {
        if (observations.isEmpty()) {
            return new Calibration(Double.NaN, Double.NaN);
        }
        double squared = 0;
        double[] confidence = new double[BINS];
        double[] correct = new double[BINS];
        int[] counts = new int[BINS];
        for (BinaryTriageMetrics.Observation o : observations) {
            double p = o.melanomaProbability();
            double truth = o.melanoma() ? 1 : 0;
            squared += (p - truth) * (p - truth);
            double top = Math.max(p, 1 - p);
            // argmax with ties to the first class (non-melanoma), as NumPy does
            boolean predictedMelanoma = p > 0.5;
            // bins are (lo, hi]: the first holds [0, 1/15]
            int bin = Math.max(0, Math.min(BINS - 1, (int) Math.ceil(top * BINS) - 1));
            confidence[bin] += top;
            correct[bin] += predictedMelanoma == o.melanoma() ? 1 : 0;
            counts[bin]++;
        }
        double ece = 0;
        for (int b = 0; b < BINS; b++) {
            if (counts[b] > 0) {
                ece += Math.abs(confidence[b] - correct[b]) / observations.size();
            }
        }
        return new Calibration(squared / observations.size(), ece);
    }
}
