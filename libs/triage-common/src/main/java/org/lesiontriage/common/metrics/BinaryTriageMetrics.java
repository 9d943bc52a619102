package org.lesiontriage.common.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Screening metrics of a triage run: melanoma is the positive class and "predicted positive" means the
 * service flagged the image URGENT. Undefined ratios (no positives, no negatives) are NaN, never 0.
 */
public final class BinaryTriageMetrics {

    /** One scored image with known truth. */
    public record Observation(boolean melanoma, double melanomaProbability, boolean urgent) {
    }

    private final int truePositives;
    private final int falseNegatives;
    private final int falsePositives;
    private final int trueNegatives;
    private final double auc;

    private BinaryTriageMetrics(int tp, int fn, int fp, int tn, double auc) {
        this.truePositives = tp;
        this.falseNegatives = fn;
        this.falsePositives = fp;
        this.trueNegatives = tn;
        this.auc = auc;
    }

    public static BinaryTriageMetrics of(List<Observation> observations) {
        int tp = 0;
        int fn = 0;
        int fp = 0;
        int tn = 0;
        for (Observation o : observations) {
            if (o.melanoma()) {
                if (o.urgent()) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (o.urgent()) {
                fp++;
            } else {
                tn++;
            }
        }
        return new BinaryTriageMetrics(tp, fn, fp, tn, rocAuc(observations));
    }

    /**
     * ROC AUC as the Mann-Whitney statistic: the probability that a random melanoma scores higher than a random
     * non-melanoma, ties counted 1/2. Computed from average ranks, so n log n.
     */
    static double rocAuc(List<Observation> observations) {
        Observation[] sorted = observations.toArray(new Observation[0]);
        Arrays.sort(sorted, Comparator.comparingDouble(Observation::melanomaProbability));
        long positives = observations.stream().filter(Observation::melanoma).count();
        long negatives = observations.size() - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double positiveRankSum = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length
                    && sorted[j + 1].melanomaProbability() == sorted[i].melanomaProbability()) {
                j++;
            }
            double averageRank = (i + 1 + j + 1) / 2.0; // ranks are 1-based; a tie group shares its mean rank
            for (int k = i; k <= j; k++) {
                if (sorted[k].melanoma()) {
                    positiveRankSum += averageRank;
                }
            }
            i = j + 1;
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    public int truePositives() {
        return truePositives;
    }

    public int falseNegatives() {
        return falseNegatives;
    }

    public int falsePositives() {
        return falsePositives;
    }

    public int trueNegatives() {
        return trueNegatives;
    }

    public int total() {
        return truePositives + falseNegatives + falsePositives + trueNegatives;
    }

    /** Share of melanomas flagged URGENT (recall of the positive class). */
    public double sensitivity() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** Share of non-melanomas left ROUTINE. */
    public double specificity() {
        return ratio(trueNegatives, trueNegatives + falsePositives);
    }

    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    /** Mean of sensitivity and specificity: accuracy that the 1:4 class imbalance cannot inflate. */
    public double balancedAccuracy() {
        return (sensitivity() + specificity()) / 2;
    }

    public double auc() {
        return auc;
    }

    /**
     * The matrix in the training code's layout: rows true [non_melanoma, melanoma], columns predicted
     * [non_melanoma, melanoma], i.e. {@code [[tn, fp], [fn, tp]]}.
     */
    public int[][] trainingLayout() {
        return new int[][] {{trueNegatives, falsePositives}, {falseNegatives, truePositives}};
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }
}
