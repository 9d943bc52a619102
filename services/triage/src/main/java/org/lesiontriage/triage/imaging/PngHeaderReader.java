package org.lesiontriage.triage.imaging;

import java.util.Arrays;

import org.lesiontriage.contracts.ImageMediaType;

/**
 * A PNG's {@link ImageHeader}, from one walk over its chunks ({@link PngChunks}, which checks every CRC and the IEND).
 * EXIF and XMP are gathered the way PIL's PNG plugin does: an eXIf chunk or a text chunk keyed "exif" (the last one
 * wins), else an ImageMagick "Raw profile type exif" hex dump, and the last "XML:com.adobe.xmp" text chunk.
 */
final class PngHeaderReader implements PngChunks.Visitor {

    private final byte[] b;
    private byte[] exif;
    private byte[] rawProfile;
    private byte[] xmp;
    private boolean metadataReadable = true;

    private PngHeaderReader(byte[] png) {
        this.b = png;
    }

    /**
     * @throws ImageRejectedException {@code IMAGE_CORRUPT} when a chunk fails its CRC, {@code IMAGE_UNDECODABLE} when
     *                                the stream ends before IEND
     */
    static ImageHeader read(byte[] png) throws ImageRejectedException {
        PngHeaderReader reader = new PngHeaderReader(png);
        PngChunks.walk(png, reader);
        return new ImageHeader(ImageMediaType.PNG, ExifOrientation.of(reader.orientationSources()), 0, ImageHeader.NO_ADOBE_MARKER);
    }

    @Override
    public void chunk(String type, int data, int end) {
        if (!metadataReadable) {
            return;
        }
        try {
            if (type.equals("eXIf")) {
                exif = Arrays.copyOfRange(b, data, end);
            } else if (type.equals("tEXt") || type.equals("zTXt") || type.equals("iTXt")) {
                PngTextChunks.Text text = PngTextChunks.read(type, b, data, end);
                if (text != null) {
                    switch (text.keyword()) {
                        case PngTextChunks.EXIF -> exif = PngTextChunks.stripExifHeader(text.value());
                        case PngTextChunks.RAW_PROFILE_EXIF -> rawProfile = text.value();
                        case PngTextChunks.XMP -> xmp = text.value();
                        default -> { }
                    }
                }
            }
        } catch (RuntimeException malformed) {
            // Malformed metadata means no orientation; the CRC walk goes on.
            metadataReadable = false;
        }
    }

    private OrientationSources orientationSources() {
        if (!metadataReadable) {
            return new OrientationSources(null, null);
        }
        byte[] tiff = exif;
        if (tiff == null && rawProfile != null) {
            tiff = PngTextChunks.stripExifHeader(PngTextChunks.rawProfileBytes(rawProfile));
        }
        return new OrientationSources(tiff, xmp);
    }
}
