package org.lesiontriage.triage.imaging;

import org.lesiontriage.contracts.ReasonCode;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Step c of the contract: decoded image to 8-bit RGB.
 *
 * <p>Reads raw raster samples rather than {@code BufferedImage.getRGB}, which would apply colour-space
 * conversion (e.g. linear gray to sRGB) that the contract does not. Gray is replicated, palettes are
 * expanded, alpha is dropped (never composited), 16-bit samples become {@code v >> 8} and 1/2/4-bit
 * samples are stretched to 0..255.
 */
final class RgbConverter {

    private RgbConverter() {
    }

    static RgbRowSource rowSource(BufferedImage image) throws ImageRejectedException {
        Raster raster = image.getRaster();
        ColorModel colorModel = image.getColorModel();
        if (colorModel instanceof IndexColorModel palette) {
            return new PaletteRows(raster, palette);
        }
        int bands = raster.getNumBands();
        ColorSpace space = colorModel.getColorSpace();
        int colorComponents = colorModel.getNumColorComponents();
        boolean gray = colorComponents == 1 && space.getType() == ColorSpace.TYPE_GRAY;
        boolean rgb = colorComponents == 3 && space.getType() == ColorSpace.TYPE_RGB;
        if (!(gray && (bands == 1 || bands == 2)) && !(rgb && (bands == 3 || bands == 4))) {
            throw unsupported(bands + " bands in a " + spaceName(space.getType()) + " colour space");
        }
        int bits = raster.getSampleModel().getSampleSize(0);
        for (int b = 1; b < bands; b++) {
            if (raster.getSampleModel().getSampleSize(b) != bits) {
                throw unsupported("mixed sample sizes");
            }
        }
        if (bits != 1 && bits != 2 && bits != 4 && bits != 8 && bits != 16) {
            throw unsupported(bits + "-bit samples");
        }
        if (bits == 8 && InterleavedByteRows.fits(raster)) {
            return new InterleavedByteRows(raster, gray);
        }
        return new SampleRows(raster, bands, gray, bits);
    }

    private static String spaceName(int type) {
        return switch (type) {
            case ColorSpace.TYPE_GRAY -> "gray";
            case ColorSpace.TYPE_RGB -> "RGB";
            case ColorSpace.TYPE_CMYK -> "CMYK";
            case ColorSpace.TYPE_YCbCr -> "YCbCr";
            default -> "type " + type;
        };
    }

    private static ImageRejectedException unsupported(String detail) {
        return new ImageRejectedException(ReasonCode.IMAGE_UNSUPPORTED_COLOR,
                "unsupported colour model: " + detail + " (8/16-bit gray, gray+alpha, RGB, RGBA or palette only)");
    }

    /** Rows of a raster: its size is the image's. */
    private abstract static class RasterRows implements RgbRowSource {
        protected final Raster raster;

        RasterRows(Raster raster) {
            this.raster = raster;
        }

        @Override
        public int width() {
            return raster.getWidth();
        }

        @Override
        public int height() {
            return raster.getHeight();
        }
    }

    /** Non-indexed images: take the colour bands' stored samples, ignore any alpha band. */
    private static final class SampleRows extends RasterRows {
        private final int bands;
        private final boolean gray;
        private final int bits;
        private final int[] samples;

        SampleRows(Raster raster, int bands, boolean gray, int bits) {
            super(raster);
            this.bands = bands;
            this.gray = gray;
            this.bits = bits;
            this.samples = new int[raster.getWidth() * bands];
        }

        @Override
        public void readRow(int y, int[] rgb) {
            int w = raster.getWidth();
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, samples);
            for (int x = 0; x < w; x++) {
                int base = x * bands;
                if (gray) {
                    int v = to8Bit(samples[base]);
                    rgb[3 * x] = v;
                    rgb[3 * x + 1] = v;
                    rgb[3 * x + 2] = v;
                } else {
                    rgb[3 * x] = to8Bit(samples[base]);
                    rgb[3 * x + 1] = to8Bit(samples[base + 1]);
                    rgb[3 * x + 2] = to8Bit(samples[base + 2]);
                }
            }
        }

        private int to8Bit(int v) {
            return switch (bits) {
                case 8 -> v;
                case 16 -> v >> 8;
                default -> v * 255 / ((1 << bits) - 1);
            };
        }
    }

    /**
     * 8-bit samples interleaved in one byte array (what the JPEG decoder and most PNGs give): read straight from the
     * array, the same values {@link SampleRows} gets through {@code Raster.getPixels} at a fraction of its cost.
     */
    private static final class InterleavedByteRows extends RasterRows {
        private final byte[] data;
        private final int firstPixel;
        private final int scanlineStride;
        private final int pixelStride;
        private final int red;
        private final int green;
        private final int blue;

        InterleavedByteRows(Raster raster, boolean gray) {
            super(raster);
            ComponentSampleModel layout = (ComponentSampleModel) raster.getSampleModel();
            DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
            this.data = buffer.getData();
            this.scanlineStride = layout.getScanlineStride();
            this.pixelStride = layout.getPixelStride();
            this.firstPixel = buffer.getOffset()
                    + (raster.getMinY() - raster.getSampleModelTranslateY()) * scanlineStride
                    + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
            int[] offsets = layout.getBandOffsets();
            this.red = offsets[0];
            this.green = gray ? offsets[0] : offsets[1];
            this.blue = gray ? offsets[0] : offsets[2];
        }

        /** One bank of bytes holding every band: the layout this class reads. */
        static boolean fits(Raster raster) {
            if (!(raster.getSampleModel() instanceof ComponentSampleModel layout)
                    || !(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1) {
                return false;
            }
            for (int bank : layout.getBankIndices()) {
                if (bank != 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void readRow(int y, int[] rgb) {
            int w = raster.getWidth();
            int p = firstPixel + y * scanlineStride;
            for (int x = 0; x < w; x++, p += pixelStride) {
                rgb[3 * x] = data[p + red] & 0xFF;
                rgb[3 * x + 1] = data[p + green] & 0xFF;
                rgb[3 * x + 2] = data[p + blue] & 0xFF;
            }
        }
    }

    /** Indexed images: expand through the palette; the palette's alpha is dropped. */
    private static final class PaletteRows extends RasterRows {
        private final IndexColorModel palette;
        private final int[] indices;

        PaletteRows(Raster raster, IndexColorModel palette) {
            super(raster);
            this.palette = palette;
            this.indices = new int[raster.getWidth()];
        }

        @Override
        public void readRow(int y, int[] rgb) {
            int w = raster.getWidth();
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, indices);
            int size = palette.getMapSize();
            for (int x = 0; x < w; x++) {
                // Out-of-range indices (corrupt files) clamp to the last entry instead of throwing.
                int index = Math.min(indices[x], size - 1);
                rgb[3 * x] = palette.getRed(index);
                rgb[3 * x + 1] = palette.getGreen(index);
                rgb[3 * x + 2] = palette.getBlue(index);
            }
        }
    }
}
