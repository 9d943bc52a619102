package org.lesiontriage.triage.imaging;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import org.lesiontriage.contracts.ReasonCode;

/**
 * The walk over a PNG: every chunk from the signature up to IEND, each checked against its CRC before it is visited.
 * javax.imageio checks no CRC: a corrupt palette, transparency or EXIF chunk (or a damaged CRC) decodes without a
 * word, so this walk runs before any pixel is decoded. A stream that ends before IEND is truncated; bytes after IEND
 * (some tools append them) are not read.
 */
final class PngChunks {

    /** A chunk whose CRC matched, before IEND: its type and where its data starts and ends in the stream. */
    interface Visitor {
        void chunk(String type, int data, int end);
    }

    private static final int SIGNATURE_LENGTH = 8;

    private PngChunks() {
    }

    /**
     * @throws ImageRejectedException {@code IMAGE_CORRUPT} when a chunk's CRC does not match its type and data,
     *                                {@code IMAGE_UNDECODABLE} when the stream ends before IEND
     */
    static void walk(byte[] b, Visitor visitor) throws ImageRejectedException {
        CRC32 crc = new CRC32();
        int pos = SIGNATURE_LENGTH;
        while (true) {
            if (pos + 12 > b.length) {
                throw truncated("the stream ends at byte " + b.length + " without an IEND chunk");
            }
            long length = u32(b, pos);
            long end = pos + 12L + length;
            String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (end > b.length) {
                throw truncated("chunk " + printable(type) + " at byte " + pos + " declares " + length
                        + " data bytes, more than the " + (b.length - pos - 12) + " left");
            }
            int data = pos + 8;
            int dataEnd = data + (int) length;
            crc.reset();
            crc.update(b, pos + 4, 4 + (int) length); // type and data, in place
            if (crc.getValue() != u32(b, dataEnd)) {
                throw new ImageRejectedException(ReasonCode.IMAGE_CORRUPT, "PNG chunk " + printable(type) + " at byte " + pos
                        + " fails its CRC (stored " + Long.toHexString(u32(b, dataEnd)) + ", computed " + Long.toHexString(crc.getValue()) + ")");
            }
            if (type.equals("IEND")) {
                return;
            }
            visitor.chunk(type, data, dataEnd);
            pos = (int) end;
        }
    }

    private static ImageRejectedException truncated(String detail) {
        return new ImageRejectedException(ReasonCode.IMAGE_UNDECODABLE, "truncated PNG: " + detail);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    /** Chunk types come from the untrusted bytes; keep messages printable. */
    private static String printable(String type) {
        return "'" + type.replaceAll("[^\\x20-\\x7E]", "?") + "'";
    }
}
