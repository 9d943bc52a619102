package org.lesiontriage.triage.imaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * EXIF and XMP of a JPEG stream, gathered from the header segments the way PIL's JPEG plugin does: the
 * first APP1 "Exif" segment, with later ones appended (extended EXIF), and the last APP1 XMP packet.
 * Scanning stops at the first start-of-scan.
 */
final class JpegMetadata {

    private static final byte[] EXIF_HEADER = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] XMP_HEADER = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);

    private JpegMetadata() {
    }

    static OrientationSources read(byte[] b) {
        ByteArrayOutputStream[] exif = {null};
        byte[][] xmp = {null};
        walkHeader(b, (marker, payload, end) -> {
            if (marker == 0xE1 && startsWith(b, payload, end, EXIF_HEADER)) {
                if (exif[0] == null) {
                    exif[0] = new ByteArrayOutputStream();
                }
                exif[0].write(b, payload + EXIF_HEADER.length, end - payload - EXIF_HEADER.length);
            } else if (marker == 0xE1 && startsWith(b, payload, end, XMP_HEADER)) {
                int from = payload + XMP_HEADER.length;
                xmp[0] = java.util.Arrays.copyOfRange(b, from, end);
            }
        });
        return new OrientationSources(exif[0] == null ? null : exif[0].toByteArray(), xmp[0]);
    }

    /** A header segment: its marker (the byte after 0xFF) and where its payload starts and ends in the stream. */
    interface SegmentVisitor {
        void segment(int marker, int payload, int end);
    }

    /** Visits the segments with a length from SOI up to the first start-of-scan; stops quietly at anything malformed. */
    static void walkHeader(byte[] b, SegmentVisitor visitor) {
        int pos = 2; // after SOI
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                break;
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan or end of image: headers are over
                break;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // markers without a length
                pos += 2;
                continue;
            }
            int length = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            int end = pos + 2 + length;
            if (length < 2 || end > b.length) {
                break;
            }
            visitor.segment(marker, pos + 4, end);
            pos = end;
        }
    }

    static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
