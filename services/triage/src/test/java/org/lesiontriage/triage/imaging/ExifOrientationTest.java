package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The stored image is 32 wide x 16 high with quadrants red (top-left), green (top-right), blue
 * (bottom-left), white (bottom-right); the expectations are what PIL's exif_transpose displays.
 */
@Tag("unit")
class ExifOrientationTest {

    private static final int[] RED = {255, 0, 0};
    private static final int[] GREEN = {0, 255, 0};
    private static final int[] BLUE = {0, 0, 255};
    private static final int[] WHITE = {255, 255, 255};
    private static final ImageLimits ANY_SIZE = new ImageLimits(1 << 20, 1 << 20, 1);
    private static final byte[] STORED = TestImages.jpeg(TestImages.quadrants(32, 16, RED, GREEN, BLUE, WHITE));

    private static int[] colour(String name) {
        return switch (name) {
            case "red" -> RED;
            case "green" -> GREEN;
            case "blue" -> BLUE;
            case "white" -> WHITE;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "orientation {0} big-endian={1}")
    @CsvSource({
        "1, false, red,   green, blue,  white",
        "2, true,  green, red,   white, blue",
        "3, false, white, blue,  green, red",
        "3, true,  white, blue,  green, red",
        "4, false, blue,  white, red,   green",
        "5, true,  red,   blue,  green, white",
        "6, false, blue,  red,   white, green",
        "6, true,  blue,  red,   white, green",
        "7, false, white, green, blue,  red",
        "8, false, green, white, red,   blue",
        "8, true,  green, white, red,   blue",
    })
    void displaysLikePil(int orientation, boolean bigEndian, String topLeft, String topRight, String bottomLeft, String bottomRight)
            throws Exception {
        byte[] jpeg = TestImages.withExifOrientation(STORED, orientation, bigEndian);
        assertThat(ExifOrientation.readJpeg(jpeg)).isEqualTo(orientation);

        boolean swapped = orientation >= 5;
        int height = swapped ? 32 : 16;
        int width = swapped ? 16 : 32;
        float[] tensor = new ImagePreprocessor(ANY_SIZE, height, width).preprocess(jpeg, "image/jpeg");

        assertColour(tensor, height, width, width / 4, height / 4, colour(topLeft));
        assertColour(tensor, height, width, 3 * width / 4, height / 4, colour(topRight));
        assertColour(tensor, height, width, width / 4, 3 * height / 4, colour(bottomLeft));
        assertColour(tensor, height, width, 3 * width / 4, 3 * height / 4, colour(bottomRight));
    }

    private static void assertColour(float[] tensor, int height, int width, int x, int y, int[] expected) {
        int plane = height * width;
        for (int c = 0; c < 3; c++) {
            float v = tensor[c * plane + y * width + x] * 255f;
            assertThat(v).as("channel %d at (%d, %d)", c, x, y).isBetween(expected[c] - 12f, expected[c] + 12f);
        }
    }

    @Test
    void absentOrMalformedTagMeansNoTransform() {
        assertThat(ExifOrientation.readJpeg(STORED)).isEqualTo(1);
        assertThat(ExifOrientation.readJpeg(TestImages.withExifOrientation(STORED, 9, false))).isEqualTo(1);
        assertThat(ExifOrientation.readJpeg(TestImages.withExifOrientation(STORED, 0, true))).isEqualTo(1);
        byte[] truncated = TestImages.withExifOrientation(STORED, 6, false);
        truncated = java.util.Arrays.copyOf(truncated, 20);
        assertThat(ExifOrientation.readJpeg(truncated)).isEqualTo(1);
        assertThat(ExifOrientation.readJpeg(new byte[] {(byte) 0xFF, (byte) 0xD8})).isEqualTo(1);
    }

    @Test
    void xmpOrientationCountsOnlyWithoutAnExifOrientationTag() {
        byte[] xmp6 = TestImages.xmpWithOrientation(6);
        assertThat(ExifOrientation.readJpeg(TestImages.withXmp(STORED, xmp6))).isEqualTo(6);
        byte[] exifWithoutTag = TestImages.withExifOrientation(STORED, 0, false);
        assertThat(ExifOrientation.readJpeg(TestImages.withXmp(exifWithoutTag, xmp6))).isEqualTo(6);
        byte[] exifNormal = TestImages.withExifOrientation(STORED, 1, false);
        assertThat(ExifOrientation.readJpeg(TestImages.withXmp(exifNormal, xmp6))).isEqualTo(1);
        byte[] element = "<tiff:Orientation>8</tiff:Orientation>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(ExifOrientation.readJpeg(TestImages.withXmp(STORED, element))).isEqualTo(8);
    }

    @Test
    void pngOrientationFromExifChunkOrXmp() throws Exception {
        byte[] png = TestImages.png(TestImages.quadrants(32, 16, RED, GREEN, BLUE, WHITE));
        assertThat(ExifOrientation.readPng(png)).isEqualTo(1);
        byte[] exif6 = TestImages.withPngChunk(png, "eXIf", TestImages.tiffWithOrientation(6, true));
        assertThat(ExifOrientation.readPng(exif6)).isEqualTo(6);
        byte[] keyword = "XML:com.adobe.xmp\0\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] xmp = TestImages.xmpWithOrientation(8);
        byte[] itxt = new byte[keyword.length + xmp.length];
        System.arraycopy(keyword, 0, itxt, 0, keyword.length);
        System.arraycopy(xmp, 0, itxt, keyword.length, xmp.length);
        assertThat(ExifOrientation.readPng(TestImages.withPngChunk(png, "iTXt", itxt))).isEqualTo(8);

        float[] tensor = new ImagePreprocessor(ANY_SIZE, 32, 16).preprocess(exif6, "image/png");
        assertColour(tensor, 32, 16, 4, 8, BLUE);
        assertColour(tensor, 32, 16, 12, 8, RED);
        assertColour(tensor, 32, 16, 4, 24, WHITE);
        assertColour(tensor, 32, 16, 12, 24, GREEN);
    }

    @Test
    void transformsPlanarArrays() {
        // 2 high x 3 wide, one channel repeated: 0 1 2 / 3 4 5
        double[] src = new double[18];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 6; i++) {
                src[c * 6 + i] = i;
            }
        }
        assertThat(java.util.Arrays.copyOf(ExifOrientation.apply(src, 2, 3, 6), 6)).containsExactly(3, 0, 4, 1, 5, 2);
        assertThat(java.util.Arrays.copyOf(ExifOrientation.apply(src, 2, 3, 8), 6)).containsExactly(2, 5, 1, 4, 0, 3);
        assertThat(java.util.Arrays.copyOf(ExifOrientation.apply(src, 2, 3, 3), 6)).containsExactly(5, 4, 3, 2, 1, 0);
        assertThat(java.util.Arrays.copyOf(ExifOrientation.apply(src, 2, 3, 5), 6)).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(java.util.Arrays.copyOf(ExifOrientation.apply(src, 2, 3, 7), 6)).containsExactly(5, 2, 4, 1, 3, 0);
    }
}
