package org.lesiontriage.triage.imaging;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step b of the contract: the orientation that displays the image upright, with the semantics of PIL's
 * {@code ImageOps.exif_transpose}, which javax.imageio ignores.
 *
 * <p>As in PIL, the Orientation tag (0x0112) of EXIF IFD0 wins; only when EXIF has no such tag does an
 * XMP {@code tiff:Orientation} count. A present value outside 1..8, or anything malformed, means no
 * transform (1). The metadata is gathered per format while the header is read ({@link JpegHeaderReader},
 * {@link PngHeaderReader}).
 */
final class ExifOrientation {

    static final int NORMAL = 1;

    private static final int TAG_ORIENTATION = 0x0112;
    private static final Pattern XMP_ORIENTATION = Pattern.compile("tiff:Orientation(=\"|>)([0-9])");

    private ExifOrientation() {
    }

    /** Orientation 1..8 of a JPEG stream; 1 when absent. Never throws on malformed input. */
    static int readJpeg(byte[] jpeg) {
        return JpegHeaderReader.read(jpeg).orientation();
    }

    /**
     * Orientation 1..8 of a PNG stream; 1 when absent or malformed.
     *
     * @throws ImageRejectedException when a chunk fails its CRC or the stream is truncated ({@link PngChunks})
     */
    static int readPng(byte[] png) throws ImageRejectedException {
        return PngHeaderReader.read(png).orientation();
    }

    /** Orientation 1..8 that the metadata declares; 1 when it declares none, or anything malformed. */
    static int of(OrientationSources sources) {
        try {
            return resolve(sources);
        } catch (RuntimeException malformed) {
            return NORMAL;
        }
    }

    private static int resolve(OrientationSources sources) {
        OptionalInt tagged = sources.exifTiff() == null ? OptionalInt.empty() : tagValue(sources.exifTiff());
        if (tagged.isEmpty() && sources.xmp() != null) {
            // Latin-1 keeps one char per byte, enough for an ASCII pattern.
            Matcher m = XMP_ORIENTATION.matcher(new String(sources.xmp(), StandardCharsets.ISO_8859_1));
            if (m.find()) {
                tagged = OptionalInt.of(m.group(2).charAt(0) - '0');
            }
        }
        int value = tagged.orElse(NORMAL);
        return value >= 1 && value <= 8 ? value : NORMAL;
    }

    /**
     * The Orientation value in IFD0 of a TIFF structure (EXIF without its "Exif\0\0" header), empty when
     * the tag is absent; a present tag of a non-integer type gives 0 (no transform), as PIL would.
     */
    static OptionalInt tagValue(byte[] b) {
        int end = b.length;
        if (end < 8) {
            return OptionalInt.empty();
        }
        boolean little;
        if (b[0] == 'I' && b[1] == 'I') {
            little = true;
        } else if (b[0] == 'M' && b[1] == 'M') {
            little = false;
        } else {
            return OptionalInt.empty();
        }
        if (u16(b, 2, little) != 42) {
            return OptionalInt.empty();
        }
        long ifd = u32(b, 4, little);
        if (ifd < 8 || ifd + 2 > end) {
            return OptionalInt.empty();
        }
        int ifdStart = (int) ifd;
        int count = u16(b, ifdStart, little);
        for (int k = 0; k < count; k++) {
            int entry = ifdStart + 2 + 12 * k;
            if (entry + 12 > end) {
                return OptionalInt.empty();
            }
            if (u16(b, entry, little) == TAG_ORIENTATION) {
                return OptionalInt.of(integerValue(b, entry, little));
            }
        }
        return OptionalInt.empty();
    }

    /** First value of an IFD entry of an integer type that fits in the 4-byte value field; else 0. */
    private static int integerValue(byte[] b, int entry, boolean little) {
        if (u32(b, entry + 4, little) < 1) {
            return 0;
        }
        int at = entry + 8;
        return switch (u16(b, entry + 2, little)) {
            case 1 -> b[at] & 0xFF;                      // BYTE
            case 6 -> b[at];                             // SBYTE
            case 3 -> u16(b, at, little);                // SHORT
            case 8 -> (short) u16(b, at, little);        // SSHORT
            case 4, 9 -> (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, u32(b, at, little))); // LONG, SLONG
            default -> 0;
        };
    }

    /** Whether the transform swaps width and height (orientations 5 to 8). */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * Applies the display transform to a CHW planar image of {@code height x width} stored as
     * {@code src}; the result has the swapped shape for orientations 5..8.
     */
    static double[] apply(double[] src, int height, int width, int orientation) {
        if (orientation == NORMAL) {
            return src;
        }
        int plane = height * width;
        double[] dst = new double[src.length];
        int dw = swapsAxes(orientation) ? height : width;
        int dh = swapsAxes(orientation) ? width : height;
        for (int c = 0; c < 3; c++) {
            int base = c * plane;
            for (int y = 0; y < dh; y++) {
                for (int x = 0; x < dw; x++) {
                    int sy;
                    int sx;
                    switch (orientation) {
                        case 2 -> { sy = y; sx = width - 1 - x; }                   // FLIP_LEFT_RIGHT
                        case 3 -> { sy = height - 1 - y; sx = width - 1 - x; }      // ROTATE_180
                        case 4 -> { sy = height - 1 - y; sx = x; }                  // FLIP_TOP_BOTTOM
                        case 5 -> { sy = x; sx = y; }                               // TRANSPOSE
                        case 6 -> { sy = height - 1 - x; sx = y; }                  // ROTATE_270 (90 deg clockwise)
                        case 7 -> { sy = height - 1 - x; sx = width - 1 - y; }      // TRANSVERSE
                        case 8 -> { sy = x; sx = width - 1 - y; }                   // ROTATE_90 (90 deg counter-clockwise)
                        default -> throw new IllegalArgumentException("orientation " + orientation);
                    }
                    dst[base + y * dw + x] = src[base + sy * width + sx];
                }
            }
        }
        return dst;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int b0 = b[at] & 0xFF;
        int b1 = b[at + 1] & 0xFF;
        return little ? (b1 << 8) | b0 : (b0 << 8) | b1;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long v = 0;
        for (int k = 0; k < 4; k++) {
            int shift = little ? 8 * k : 8 * (3 - k);
            v |= (long) (b[at + k] & 0xFF) << shift;
        }
        return v;
    }
}
