package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Step c through real PNGs written and read by javax.imageio, at identity size so no resizing happens. */
@Tag("unit")
class RgbConversionTest {

    private static final ImageLimits ANY_SIZE = new ImageLimits(1 << 20, 1 << 20, 1);

    /** Pixel (x, y) of the preprocessed image as 0..255 R, G, B. */
    private static int[] pixel(byte[] png, int width, int height, int x, int y) throws ImageRejectedException {
        float[] t = new ImagePreprocessor(ANY_SIZE, height, width).preprocess(png, "image/png");
        int plane = width * height;
        int i = y * width + x;
        return new int[] {Math.round(t[i] * 255), Math.round(t[plane + i] * 255), Math.round(t[2 * plane + i] * 255)};
    }

    /** The contract's RGB of every pixel of a one-row image, through a PNG as a clinic would send it. */
    private static List<List<Integer>> row(BufferedImage image) throws Exception {
        byte[] png = TestImages.png(image);
        List<List<Integer>> pixels = new ArrayList<>();
        for (int x = 0; x < image.getWidth(); x++) {
            pixels.add(Arrays.stream(pixel(png, image.getWidth(), 1, x, 0)).boxed().toList());
        }
        return pixels;
    }

    private static BufferedImage component(ColorSpace space, boolean alpha, int transferType, int w, int h) {
        ColorModel model = new ComponentColorModel(space, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, transferType);
        return new BufferedImage(model, model.createCompatibleWritableRaster(w, h), false, null);
    }

    @Test
    void grayIsReplicatedWithoutGammaConversion() throws Exception {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(0, 0, 0, 100);
        image.getRaster().setSample(1, 0, 0, 7);
        // getRGB would turn the linear gray 100 into about 170.
        assertThat(row(image)).containsExactly(List.of(100, 100, 100), List.of(7, 7, 7));
    }

    @Test
    void grayJpegIsReplicatedWithoutGammaConversion() throws Exception {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.getRaster().setSample(x, y, 0, 100);
            }
        }
        byte[] jpeg = TestImages.jpeg(image);
        float[] t = new ImagePreprocessor(ANY_SIZE, 16, 16).preprocess(jpeg, "image/jpeg");
        for (int c = 0; c < 3; c++) {
            assertThat(t[c * 256 + 8 * 16 + 8] * 255).isBetween(99f, 101f);
        }
    }

    @Test
    void grayAlphaDropsAlpha() throws Exception {
        BufferedImage image = component(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, DataBuffer.TYPE_BYTE, 2, 1);
        image.getRaster().setPixel(0, 0, new int[] {150, 0});
        image.getRaster().setPixel(1, 0, new int[] {20, 255});
        assertThat(row(image)).containsExactly(List.of(150, 150, 150), List.of(20, 20, 20));
    }

    @Test
    void rgbIsTakenAsStored() throws Exception {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        image.getRaster().setPixel(0, 0, new int[] {200, 10, 10});
        image.getRaster().setPixel(1, 0, new int[] {1, 128, 254});
        assertThat(row(image)).containsExactly(List.of(200, 10, 10), List.of(1, 128, 254));
    }

    @Test
    void rgbaDropsAlphaWithoutCompositing() throws Exception {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_4BYTE_ABGR);
        image.getRaster().setPixel(0, 0, new int[] {200, 10, 10, 0});
        image.getRaster().setPixel(1, 0, new int[] {30, 40, 50, 128});
        assertThat(row(image)).containsExactly(List.of(200, 10, 10), List.of(30, 40, 50));
    }

    @Test
    void paletteIsExpandedAndItsAlphaDropped() throws Exception {
        byte[] r = {(byte) 255, 0, 12};
        byte[] g = {0, (byte) 255, 34};
        byte[] b = {0, 0, 56};
        byte[] a = {(byte) 255, 0, (byte) 128};
        IndexColorModel palette = new IndexColorModel(8, 3, r, g, b, a);
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        image.getRaster().setSample(0, 0, 0, 2);
        image.getRaster().setSample(1, 0, 0, 1);
        image.getRaster().setSample(2, 0, 0, 0);
        assertThat(row(image)).containsExactly(List.of(12, 34, 56), List.of(0, 255, 0), List.of(255, 0, 0));
    }

    @Test
    void sixteenBitRgbKeepsTheHighByte() throws Exception {
        BufferedImage image = component(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, DataBuffer.TYPE_USHORT, 2, 1);
        image.getRaster().setPixel(0, 0, new int[] {0xC8FF, 0x0A01, 0xFFFF});
        image.getRaster().setPixel(1, 0, new int[] {0x00FF, 0x8000, 0x7FFF});
        assertThat(row(image)).containsExactly(List.of(0xC8, 0x0A, 0xFF), List.of(0x00, 0x80, 0x7F));
    }

    @Test
    void sixteenBitGrayKeepsTheHighByte() throws Exception {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(0, 0, 0, 0x64FF);
        image.getRaster().setSample(1, 0, 0, 0x0180);
        assertThat(row(image)).containsExactly(List.of(0x64, 0x64, 0x64), List.of(0x01, 0x01, 0x01));
    }

    @Test
    void twoBitGrayIsStretchedToFullRange() throws Exception {
        byte[] ramp = {0, 85, (byte) 170, (byte) 255};
        IndexColorModel grayRamp = new IndexColorModel(2, 4, ramp, ramp, ramp);
        BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, grayRamp);
        WritableRaster raster = image.getRaster();
        for (int x = 0; x < 4; x++) {
            raster.setSample(x, 0, 0, x);
        }
        byte[] png = TestImages.png(image);
        for (int x = 0; x < 4; x++) {
            int v = x * 255 / 3;
            assertThat(pixel(png, 4, 1, x, 0)).containsExactly(v, v, v);
        }
    }

    @Test
    void oneBitImageIsBlackAndWhite() throws Exception {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
        image.getRaster().setSample(1, 0, 0, 1);
        assertThat(row(image)).containsExactly(List.of(0, 0, 0), List.of(255, 255, 255));
    }

    @Test
    void bytesReadStraightFromTheRasterMatchItsSamplesInAnyBandOrderAndSubimage() throws Exception {
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_RGB}) {
            BufferedImage image = new BufferedImage(23, 17, type);
            for (int y = 0; y < 17; y++) {
                for (int x = 0; x < 23; x++) {
                    image.setRGB(x, y, 0xFF000000 | (x * 11) << 16 | (y * 13) << 8 | ((x * y) & 0xFF));
                }
            }
            BufferedImage part = image.getSubimage(5, 3, 11, 9); // a child raster: offsets into the parent's array
            RgbRowSource rows = RgbConverter.rowSource(part);
            int[] rgb = new int[3 * part.getWidth()];
            for (int y = 0; y < part.getHeight(); y++) {
                rows.readRow(y, rgb);
                for (int x = 0; x < part.getWidth(); x++) {
                    int[] expected = part.getRaster().getPixel(x, y, (int[]) null);
                    assertThat(Arrays.copyOfRange(rgb, 3 * x, 3 * x + 3)).as("type %d at (%d, %d)", type, x, y)
                            .containsExactly(expected[0], expected[1], expected[2]);
                }
            }
        }
    }
}
