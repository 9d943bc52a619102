package org.lesiontriage.triage.imaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.lesiontriage.contracts.ImageMediaType;

/**
 * A JPEG's {@link ImageHeader}, from one walk over its segments ({@link JpegSegments}). EXIF and XMP are gathered the
 * way PIL's JPEG plugin does: the first APP1 "Exif" segment, with later ones appended (extended EXIF), and the last
 * APP1 XMP packet. The last Adobe APP14 marker gives the colour transform and the last start-of-frame the component
 * count, which together pick the decoder ({@link AdobeJpegs}).
 */
final class JpegHeaderReader implements JpegSegments.Visitor {

    private static final int APP1 = 0xE1;
    private static final int APP14 = 0xEE;
    private static final byte[] EXIF_HEADER = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] XMP_HEADER = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);

    private final byte[] b;
    private ByteArrayOutputStream exif;
    private byte[] xmp;
    private int adobeTransform = ImageHeader.NO_ADOBE_MARKER;
    private int components;

    private JpegHeaderReader(byte[] jpeg) {
        this.b = jpeg;
    }

    /** Never throws: a malformed header gives the facts read before the damage, and orientation 1. */
    static ImageHeader read(byte[] jpeg) {
        JpegHeaderReader reader = new JpegHeaderReader(jpeg);
        JpegSegments.walk(jpeg, reader);
        OrientationSources sources = new OrientationSources(reader.exif == null ? null : reader.exif.toByteArray(), reader.xmp);
        return new ImageHeader(ImageMediaType.JPEG, ExifOrientation.of(sources), reader.components, reader.adobeTransform);
    }

    @Override
    public void segment(int marker, int payload, int end) {
        if (marker == APP1 && JpegSegments.startsWith(b, payload, end, EXIF_HEADER)) {
            if (exif == null) {
                exif = new ByteArrayOutputStream();
            }
            exif.write(b, payload + EXIF_HEADER.length, end - payload - EXIF_HEADER.length);
        } else if (marker == APP1 && JpegSegments.startsWith(b, payload, end, XMP_HEADER)) {
            xmp = Arrays.copyOfRange(b, payload + XMP_HEADER.length, end);
        } else if (marker == APP14 && end - payload >= 12 && JpegSegments.startsWith(b, payload, end, ADOBE)) {
            adobeTransform = b[payload + 11] & 0xFF;
        } else if (isStartOfFrame(marker) && end - payload >= 6) {
            components = b[payload + 5] & 0xFF;
        }
    }

    /** SOF0-SOF15 less DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
}
