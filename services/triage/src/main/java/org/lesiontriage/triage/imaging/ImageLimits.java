package org.lesiontriage.triage.imaging;

/**
 * Bounds applied to untrusted image bytes before any pixel is decoded.
 *
 * @param maxBytes  largest accepted encoded size
 * @param maxPixels largest accepted width * height, read from the header (decompression-bomb guard)
 * @param minSide   smallest accepted min(width, height)
 */
public record ImageLimits(long maxBytes, long maxPixels, int minSide) {

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || minSide <= 0) {
            throw new IllegalArgumentException("image limits must be positive: " + maxBytes + ", " + maxPixels + ", " + minSide);
        }
    }

    /** 16 MiB, 40 megapixels, 16 px. */
    public static ImageLimits defaults() {
        return new ImageLimits(16L * 1024 * 1024, 40_000_000L, 16);
    }
}
