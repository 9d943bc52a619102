package org.lesiontriage.triage.imaging;

/**
 * Step b of the contract: the EXIF Orientation tag (0x0112) from a JPEG's first APP1 "Exif" segment,
 * and the transform that displays the image upright, with the semantics of PIL's
 * {@code ImageOps.exif_transpose}. javax.imageio ignores the tag, so IFD0 is parsed here.
 *
 * <p>Anything missing, malformed or outside 1..8 means "no transform" (1), as in PIL.
 */
final class ExifOrientation {

    static final int NORMAL = 1;

    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;

    private ExifOrientation() {
    }

    /** Orientation 1..8 of a JPEG stream; 1 when absent. Never throws on malformed input. */
    static int readJpeg(byte[] jpeg) {
        try {
            return scanJpegSegments(jpeg);
        } catch (RuntimeException malformed) {
            return NORMAL;
        }
    }

    private static int scanJpegSegments(byte[] b) {
        int pos = 2; // after SOI
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                return NORMAL;
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan / end of image: no more headers
                return NORMAL;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // standalone markers
                pos += 2;
                continue;
            }
            int length = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            int payload = pos + 4;
            int end = pos + 2 + length;
            if (length < 2 || end > b.length) {
                return NORMAL;
            }
            if (marker == 0xE1 && length >= 8 && isExifHeader(b, payload)) {
                // PIL keeps the first Exif APP1 only.
                return orientationFromTiff(b, payload + 6, end);
            }
            pos = end;
        }
        return NORMAL;
    }

    private static boolean isExifHeader(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
    }

    /** Orientation from a TIFF structure occupying {@code b[start, end)}. */
    static int orientationFromTiff(byte[] b, int start, int end) {
        if (end - start < 8) {
            return NORMAL;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        if (u16(b, start + 2, little) != 42) {
            return NORMAL;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || start + ifd + 2 > end) {
            return NORMAL;
        }
        int ifdStart = (int) (start + ifd);
        int count = u16(b, ifdStart, little);
        for (int k = 0; k < count; k++) {
            int entry = ifdStart + 2 + 12 * k;
            if (entry + 12 > end) {
                return NORMAL;
            }
            if (u16(b, entry, little) == TAG_ORIENTATION) {
                int type = u16(b, entry + 2, little);
                if (u32(b, entry + 4, little) < 1) {
                    return NORMAL;
                }
                long value;
                if (type == TYPE_SHORT) {
                    value = u16(b, entry + 8, little);
                } else if (type == TYPE_LONG) {
                    value = u32(b, entry + 8, little);
                } else {
                    return NORMAL;
                }
                return value >= 1 && value <= 8 ? (int) value : NORMAL;
            }
        }
        return NORMAL;
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
