package org.lesiontriage.triage.imaging;

import org.lesiontriage.contracts.ImageMediaType;

/**
 * What the service needs from an image's header, read in one pass over the bytes before any pixel is decoded: by
 * {@link JpegHeaderReader} (the segments up to the first scan) or {@link PngHeaderReader} (every chunk up to IEND, each
 * checked against its CRC). The preprocessor and the decoder ask this object instead of walking the bytes again.
 *
 * <p>Width and height are not here: the pixel guards read them from the decoder's own reader, so that the size checked
 * is the size that reader decodes.
 *
 * @param format         the format whose magic number the bytes carry
 * @param orientation    the EXIF orientation 1..8 (step b); 1 when absent or unreadable
 * @param components     the component count of a JPEG's last start-of-frame; 0 without one, and for a PNG
 * @param adobeTransform the transform of a JPEG's last Adobe APP14 marker; {@link #NO_ADOBE_MARKER} without one, and
 *                       for a PNG
 */
record ImageHeader(ImageMediaType format, int orientation, int components, int adobeTransform) {

    static final int NO_ADOBE_MARKER = -1;

    /**
     * @throws ImageRejectedException for a PNG only: {@code IMAGE_CORRUPT} when a chunk fails its CRC,
     *                                {@code IMAGE_UNDECODABLE} when the stream ends before IEND ({@link PngChunks})
     */
    static ImageHeader read(byte[] bytes, ImageMediaType format) throws ImageRejectedException {
        return switch (format) {
            case JPEG -> JpegHeaderReader.read(bytes);
            case PNG -> PngHeaderReader.read(bytes);
        };
    }

    /** Whether TwelveMonkeys' reader decodes this image instead of the JDK's ({@link AdobeJpegs}). */
    boolean isAdobeCmykOrYcck() {
        return format == ImageMediaType.JPEG && AdobeJpegs.isCmykOrYcck(components, adobeTransform);
    }
}
