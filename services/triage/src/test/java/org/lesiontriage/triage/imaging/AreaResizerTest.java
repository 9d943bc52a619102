package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AreaResizerTest {

    private static final double EPS = 1e-9;

    /** A gray image (all channels equal) from row-major values. */
    private static RgbImage gray(int width, int height, int... values) {
        byte[] rgb = new byte[3 * width * height];
        for (int i = 0; i < values.length; i++) {
            rgb[3 * i] = (byte) values[i];
            rgb[3 * i + 1] = (byte) values[i];
            rgb[3 * i + 2] = (byte) values[i];
        }
        return new RgbImage(width, height, rgb);
    }

    @Test
    void fourByFourToTwoByTwoAveragesBlocks() {
        RgbImage image = gray(4, 4,
                0, 4, 8, 12,
                16, 20, 24, 28,
                100, 100, 0, 0,
                100, 100, 0, 40);
        double[] out = AreaResizer.resize(image, 2, 2);
        assertThat(out[0]).isCloseTo((0 + 4 + 16 + 20) / 4.0, within(EPS));
        assertThat(out[1]).isCloseTo((8 + 12 + 24 + 28) / 4.0, within(EPS));
        assertThat(out[2]).isCloseTo(100.0, within(EPS));
        assertThat(out[3]).isCloseTo(10.0, within(EPS));
    }

    @Test
    void threeToTwoUsesFractionalWeights() {
        int a = 30;
        int b = 90;
        int c = 210;
        double[] out = AreaResizer.resize(gray(3, 1, a, b, c), 1, 2);
        assertThat(out[0]).isCloseTo((a + 0.5 * b) / 1.5, within(EPS));
        assertThat(out[1]).isCloseTo((0.5 * b + c) / 1.5, within(EPS));
        double[] vertical = AreaResizer.resize(gray(1, 3, a, b, c), 2, 1);
        assertThat(vertical[0]).isCloseTo((a + 0.5 * b) / 1.5, within(EPS));
        assertThat(vertical[1]).isCloseTo((0.5 * b + c) / 1.5, within(EPS));
    }

    @Test
    void upscalingTwoToFourReplicates() {
        double[] out = AreaResizer.resize(gray(2, 2, 10, 20, 30, 40), 4, 4);
        double[] expected = {
            10, 10, 20, 20,
            10, 10, 20, 20,
            30, 30, 40, 40,
            30, 30, 40, 40};
        for (int i = 0; i < 16; i++) {
            assertThat(out[i]).as("pixel %d", i).isCloseTo(expected[i], within(EPS));
        }
    }

    @Test
    void upscalingTwoToThreeSplitsTheMiddle() {
        double[] out = AreaResizer.resize(gray(2, 1, 0, 90), 1, 3);
        assertThat(java.util.Arrays.copyOf(out, 3)).containsExactly(new double[] {0, 45, 90}, within(EPS));
    }

    @Test
    void channelsAreLaidOutAsPlanes() {
        RgbImage image = new RgbImage(2, 1, new byte[] {10, 20, 30, 50, 60, 70});
        double[] out = AreaResizer.resize(image, 1, 1);
        assertThat(out).containsExactly(new double[] {30, 40, 50}, within(EPS));
    }

    @Test
    void constantImagesStayConstantForArbitrarySizes() {
        int[][] sizes = {{1, 1, 7, 5}, {3, 7, 128, 128}, {1000, 17, 128, 128}, {129, 127, 128, 128}, {5, 300, 13, 2}, {128, 128, 128, 128}};
        for (int[] s : sizes) {
            int width = s[0];
            int height = s[1];
            byte[] rgb = new byte[3 * width * height];
            for (int i = 0; i < width * height; i++) {
                rgb[3 * i] = (byte) 201;
                rgb[3 * i + 1] = 7;
                rgb[3 * i + 2] = (byte) 255;
            }
            double[] out = AreaResizer.resize(new RgbImage(width, height, rgb), s[3], s[2]);
            int plane = s[2] * s[3];
            for (int i = 0; i < plane; i++) {
                assertThat(out[i]).isCloseTo(201, within(1e-9));
                assertThat(out[plane + i]).isCloseTo(7, within(1e-9));
                assertThat(out[2 * plane + i]).isCloseTo(255, within(1e-9));
            }
        }
    }

    @Test
    void weightsOfEachOutputSumToOne() {
        for (int[] nm : new int[][] {{4000, 128}, {3000, 128}, {7, 3}, {3, 7}, {128, 128}, {1, 128}}) {
            AxisWeights weights = AxisWeights.of(nm[0], nm[1]);
            for (int i = 0; i < nm[1]; i++) {
                double sum = 0;
                for (double w : weights.weights(i)) {
                    sum += w;
                    assertThat(w).isPositive();
                }
                assertThat(sum).as("%d -> %d output %d", nm[0], nm[1], i).isCloseTo(1.0, within(1e-12));
                assertThat(weights.weights(i).length).isLessThanOrEqualTo((nm[0] + nm[1] - 1) / nm[1] + 1);
            }
        }
    }
}
