package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ImageMediaType;
import org.lesiontriage.contracts.ReasonCode;

/**
 * Adobe CMYK and YCCK JPEGs decode to sRGB; golden files in src/test/resources/adobe-jpeg (README there: the tools
 * and commands that made them, and the tolerances held here).
 */
@Tag("unit")
class AdobeJpegTest {

    /** Per 8-bit sample, against Pillow's decode of the same file: a unit of IDCT difference, one of rounding. */
    private static final int TOLERANCE_VS_PILLOW = 2;
    /** Per 8-bit sample, against the picture the JPEG was made from (quality 95). */
    private static final int TOLERANCE_VS_SOURCE = 4;

    private final ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), 128, 128);

    @Test
    void plainCmykDecodesToTheReferenceRgb() throws Exception {
        assertDecodesLikeTheReference("cmyk");
    }

    @Test
    void ycckDecodesToTheReferenceRgb() throws Exception {
        assertDecodesLikeTheReference("ycck");
    }

    private void assertDecodesLikeTheReference(String name) throws Exception {
        byte[] jpeg = resource(name + ".jpg");
        assertThat(AdobeJpegs.isCmykOrYcck(jpeg)).isTrue();
        BufferedImage decoded = ImageDecoder.decode(jpeg, ImageMediaType.JPEG, ImageLimits.defaults());
        int[] rgb = rgbOf(decoded);
        assertThat(maxDifference(rgb, rgbOf(png(name + ".pillow.png")))).as("vs Pillow's decode").isLessThanOrEqualTo(TOLERANCE_VS_PILLOW);
        BufferedImage source = png("reference.png");
        assertThat(maxDifference(rgb, rgbOf(source))).as("vs the source picture").isLessThanOrEqualTo(TOLERANCE_VS_SOURCE);

        // The whole contract: the tensor of the CMYK file is the tensor of the RGB picture, within the same bound.
        float[] fromCmyk = preprocessor.preprocess(jpeg, "image/jpeg");
        float[] fromRgb = preprocessor.preprocess(resource("reference.png"), "image/png");
        double worst = 0;
        for (int i = 0; i < fromCmyk.length; i++) {
            worst = Math.max(worst, Math.abs(fromCmyk[i] - fromRgb[i]));
        }
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE_VS_SOURCE / 255.0 + 1e-6);
    }

    @Test
    void exifOrientationAppliesToCmykToo() throws Exception {
        byte[] jpeg = resource("cmyk.jpg");
        float[] upright = preprocessor.preprocess(jpeg, "image/jpeg");
        float[] rotated = new ImagePreprocessor(ImageLimits.defaults(), 128, 128)
                .preprocess(TestImages.withExifOrientation(jpeg, 3, false), "image/jpeg");
        // Orientation 3 turns the picture by 180 degrees: pixel (y, x) becomes (127 - y, 127 - x).
        int plane = 128 * 128;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 128; y += 17) {
                for (int x = 0; x < 128; x += 13) {
                    assertThat(rotated[c * plane + (127 - y) * 128 + (127 - x)]).isEqualTo(upright[c * plane + y * 128 + x]);
                }
            }
        }
    }

    @Test
    void theGuardsStillApply() {
        byte[] jpeg = resource("ycck.jpg");
        ImagePreprocessor fewPixels = new ImagePreprocessor(new ImageLimits(16L << 20, 96 * 64 - 1, 16), 128, 128);
        assertThat(rejection(fewPixels, jpeg)).isEqualTo(ReasonCode.IMAGE_TOO_MANY_PIXELS);
        ImagePreprocessor fewBytes = new ImagePreprocessor(new ImageLimits(jpeg.length - 1, 40_000_000, 16), 128, 128);
        assertThat(rejection(fewBytes, jpeg)).isEqualTo(ReasonCode.IMAGE_TOO_LARGE);
        // Cut short: TwelveMonkeys warns like the JDK's reader, and a warning is a rejection.
        assertThat(rejection(preprocessor, Arrays.copyOf(jpeg, jpeg.length * 2 / 3))).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
    }

    private static ReasonCode rejection(ImagePreprocessor preprocessor, byte[] jpeg) {
        try {
            preprocessor.preprocess(jpeg, "image/jpeg");
        } catch (ImageRejectedException e) {
            return e.reason();
        }
        throw new AssertionError("expected a rejection");
    }

    static int maxDifference(int[] a, int[] b) {
        assertThat(a).hasSameSizeAs(b);
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** R, G, B samples of every pixel, read through the contract's own conversion (step c). */
    private static int[] rgbOf(BufferedImage image) throws ImageRejectedException {
        RgbRowSource rows = RgbConverter.rowSource(image);
        int width = rows.width();
        int[] all = new int[3 * width * rows.height()];
        int[] row = new int[3 * width];
        for (int y = 0; y < rows.height(); y++) {
            rows.readRow(y, row);
            System.arraycopy(row, 0, all, 3 * width * y, row.length);
        }
        return all;
    }

    private static BufferedImage png(String name) throws IOException {
        return ImageIO.read(new java.io.ByteArrayInputStream(resource(name)));
    }

    static byte[] resource(String name) {
        try (InputStream in = AdobeJpegTest.class.getResourceAsStream("/adobe-jpeg/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource adobe-jpeg/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
