package org.lesiontriage.metrics;

import java.util.List;

/**
 * How well p(melanoma) matches the observed melanoma rate: the Brier score and the expected calibration error
 * over equal-width bins (15, as the model card's), both 0 for a perfectly calibrated model.
 */
public record Calibration(double brier, double ece) {

    public static final int BINS = 15;

    public static Calibration of(List<BinaryTriageMetrics.Observation> observations) {
        if (observations.isEmpty()) {
            return new Calibration(Double.NaN, Double.NaN);
        }
        double squared = 0;
        double[] confidence = new double[BINS];
        double[] positives = new double[BINS];
        int[] counts = new int[BINS];
        for (BinaryTriageMetrics.Observation o : observations) {
            double p = o.melanomaProbability();
            double truth = o.melanoma() ? 1 : 0;
            squared += (p - truth) * (p - truth);
            int bin = Math.min(BINS - 1, (int) (p * BINS));
            confidence[bin] += p;
            positives[bin] += truth;
            counts[bin]++;
        }
        double ece = 0;
        for (int b = 0; b < BINS; b++) {
            if (counts[b] > 0) {
                ece += Math.abs(confidence[b] - positives[b]) / observations.size();
            }
        }
        return new Calibration(squared / observations.size(), ece);
    }
}
