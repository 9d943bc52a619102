package org.lesiontriage.triage.imaging;

/**
 * The walk over a JPEG's header: the segments with a length, from SOI up to the first start-of-scan. It stops
 * quietly at anything malformed: what the header cannot say is left to the decoder, which judges the whole stream.
 */
final class JpegSegments {

    /** A header segment: its marker (the byte after 0xFF) and where its payload starts and ends in the stream. */
    interface Visitor {
        void segment(int marker, int payload, int end);
    }

    private JpegSegments() {
    }

    static void walk(byte[] b, Visitor visitor) {
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
