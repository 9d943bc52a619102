package org.lesiontriage.triage.imaging;

/**
 * Sparse exact area-averaging weights for one axis, input size n to output size m.
 *
 * <p>Output i covers the input interval [i*n/m, (i+1)*n/m). Measured in units of 1/m, that is
 * [i*n, (i+1)*n) and input pixel j is [j*m, (j+1)*m), so overlaps are exact integers and each weight
 * is one division, {@code overlap / n}, exactly as in the training module.
 */
final class AxisWeights {

    private final int inputSize;
    private final int outputSize;
    private final int[] first;
    private final double[][] weights;

    private AxisWeights(int inputSize, int outputSize, int[] first, double[][] weights) {
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.first = first;
        this.weights = weights;
    }

    static AxisWeights of(int n, int m) {
        if (n <= 0 || m <= 0) {
            throw new IllegalArgumentException("axis sizes must be positive: " + n + " -> " + m);
        }
        int[] first = new int[m];
        double[][] weights = new double[m][];
        for (int i = 0; i < m; i++) {
            long lo = (long) i * n;
            long hi = (long) (i + 1) * n;
            int j0 = (int) (lo / m);
            int j1 = (int) ((hi + m - 1) / m); // exclusive
            first[i] = j0;
            weights[i] = new double[j1 - j0];
            for (int j = j0; j < j1; j++) {
                long overlap = Math.min((long) (j + 1) * m, hi) - Math.max((long) j * m, lo);
                weights[i][j - j0] = (double) overlap / (double) n;
            }
        }
        return new AxisWeights(n, m, first, weights);
    }

    int first(int output) {
        return first[output];
    }

    double[] weights(int output) {
        return weights[output];
    }

    /** The lowest output index whose interval contains input {@code j}. */
    int firstOutputTouching(int j) {
        // Output i covers inputs up to ceil((i+1)*n/m) - 1; the first i with (i+1)*n > j*m.
        return (int) (((long) j * outputSize) / inputSize);
    }

    boolean touches(int output, int j) {
        return j >= first[output] && j < first[output] + weights[output].length;
    }

    double weight(int output, int j) {
        return weights[output][j - first[output]];
    }
}
