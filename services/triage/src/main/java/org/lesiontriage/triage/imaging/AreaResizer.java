package org.lesiontriage.triage.imaging;

/**
 * Step d of the contract: stretch to {@code outHeight x outWidth} by exact area averaging, separable,
 * in double, with no rounding in between. Equivalent to {@code Wh @ img @ Ww^T} per channel.
 *
 * <p>Rows are streamed once (vertical pass into {@code outHeight} accumulator rows), then the small
 * horizontal pass runs; memory is {@code O(outHeight * inWidth)} beyond the source image.
 */
final class AreaResizer {

    private AreaResizer() {
    }

    /** Returns values 0..255 in layout CHW, channels R, G, B. */
    static double[] resize(RgbRowSource source, int outHeight, int outWidth) {
        int inWidth = source.width();
        int inHeight = source.height();
        AxisWeights vertical = AxisWeights.of(inHeight, outHeight);
        AxisWeights horizontal = AxisWeights.of(inWidth, outWidth);

        // Vertical pass: each input row is read once and added to the output rows it overlaps.
        double[][] columns = new double[outHeight][3 * inWidth];
        int[] row = new int[3 * inWidth];
        for (int y = 0; y < inHeight; y++) {
            source.readRow(y, row);
            for (int i = vertical.firstOutputTouching(y); i < outHeight && vertical.touches(i, y); i++) {
                double w = vertical.weight(i, y);
                double[] acc = columns[i];
                for (int k = 0; k < row.length; k++) {
                    acc[k] += w * row[k];
                }
            }
        }

        // Horizontal pass on the already reduced rows.
        double[] out = new double[3 * outHeight * outWidth];
        int plane = outHeight * outWidth;
        for (int i = 0; i < outHeight; i++) {
            double[] acc = columns[i];
            for (int j = 0; j < outWidth; j++) {
                int first = horizontal.first(j);
                double[] weights = horizontal.weights(j);
                double r = 0;
                double g = 0;
                double b = 0;
                for (int k = 0; k < weights.length; k++) {
                    int x = 3 * (first + k);
                    r += weights[k] * acc[x];
                    g += weights[k] * acc[x + 1];
                    b += weights[k] * acc[x + 2];
                }
                int o = i * outWidth + j;
                out[o] = r;
                out[plane + o] = g;
                out[2 * plane + o] = b;
            }
        }
        return out;
    }
}
