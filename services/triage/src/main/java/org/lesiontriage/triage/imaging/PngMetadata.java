package org.lesiontriage.triage.imaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.CRC32;
import java.util.zip.Inflater;

import org.lesiontriage.contracts.ReasonCode;

/**
 * One pass over a PNG's chunks up to IEND: checks each chunk's CRC and gathers the EXIF and XMP, the way PIL's PNG
 * plugin does: an eXIf chunk or a text chunk keyed "exif" (the last one wins), else an ImageMagick "Raw profile type
 * exif" hex dump, and the last "XML:com.adobe.xmp" text chunk.
 *
 * <p>javax.imageio checks no CRC: a corrupt palette, transparency or EXIF chunk (or a damaged CRC) decodes without
 * a word, so this runs before any pixel is decoded. A stream that ends before IEND is truncated.
 */
final class PngMetadata {

    /** Compressed text is inflated up to this size only: metadata is small, bombs are not. */
    private static final int MAX_TEXT = 1 << 20;
    private static final byte[] EXIF_HEADER = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final int SIGNATURE_LENGTH = 8;

    private PngMetadata() {
    }

    /**
     * @throws ImageRejectedException {@code IMAGE_CORRUPT} when a chunk's CRC does not match its type and data,
     *                                {@code IMAGE_UNDECODABLE} when the stream ends before IEND
     */
    static OrientationSources read(byte[] b) throws ImageRejectedException {
        byte[] exif = null;
        byte[] rawProfile = null;
        byte[] xmp = null;
        boolean metadataReadable = true;
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
                break;
            }
            if (metadataReadable) {
                try {
                    if (type.equals("eXIf")) {
                        exif = java.util.Arrays.copyOfRange(b, data, dataEnd);
                    } else if (type.equals("tEXt") || type.equals("zTXt") || type.equals("iTXt")) {
                        Text text = text(type, b, data, dataEnd);
                        if (text != null) {
                            switch (text.keyword()) {
                                case "exif" -> exif = stripExifHeader(text.value());
                                case "Raw profile type exif" -> rawProfile = text.value();
                                case "XML:com.adobe.xmp" -> xmp = text.value();
                                default -> { }
                            }
                        }
                    }
                } catch (RuntimeException malformed) {
                    // Malformed metadata means no orientation, as before; the CRC walk goes on.
                    metadataReadable = false;
                }
            }
            pos = (int) end;
        }
        if (!metadataReadable) {
            return new OrientationSources(null, null);
        }
        if (exif == null && rawProfile != null) {
            exif = stripExifHeader(rawProfileBytes(rawProfile));
        }
        return new OrientationSources(exif, xmp);
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

    private record Text(String keyword, byte[] value) {
    }

    /** Keyword and (inflated) value of a text chunk; null when malformed or not worth reading. */
    private static Text text(String type, byte[] b, int from, int to) {
        int nul = indexOf(b, from, to, (byte) 0);
        if (nul < 0) {
            return null;
        }
        String keyword = new String(b, from, nul - from, StandardCharsets.ISO_8859_1);
        if (!keyword.equals("exif") && !keyword.equals("Raw profile type exif") && !keyword.equals("XML:com.adobe.xmp")) {
            return null;
        }
        switch (type) {
            case "tEXt":
                return new Text(keyword, java.util.Arrays.copyOfRange(b, nul + 1, to));
            case "zTXt":
                return nul + 2 <= to ? new Text(keyword, inflate(b, nul + 2, to)) : null;
            default: { // iTXt: compression flag, method, language\0, translated keyword\0, text
                if (nul + 3 > to) {
                    return null;
                }
                boolean compressed = b[nul + 1] != 0;
                int language = indexOf(b, nul + 3, to, (byte) 0);
                int translated = language < 0 ? -1 : indexOf(b, language + 1, to, (byte) 0);
                if (translated < 0) {
                    return null;
                }
                byte[] value = compressed ? inflate(b, translated + 1, to) : java.util.Arrays.copyOfRange(b, translated + 1, to);
                return value == null ? null : new Text(keyword, value);
            }
        }
    }

    private static byte[] inflate(byte[] b, int from, int to) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, from, to - from);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished() && out.size() < MAX_TEXT) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /** ImageMagick's "Raw profile" text: a name line, a length line, then hex digits (PIL skips 3 lines). */
    private static byte[] rawProfileBytes(byte[] text) {
        String[] lines = new String(text, StandardCharsets.ISO_8859_1).split("\n", -1);
        StringBuilder hex = new StringBuilder();
        for (int i = 3; i < lines.length; i++) {
            hex.append(lines[i].replaceAll("\\s", ""));
        }
        if (hex.length() % 2 != 0) {
            return null;
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static byte[] stripExifHeader(byte[] exif) {
        if (exif != null && exif.length >= EXIF_HEADER.length
                && java.util.Arrays.equals(exif, 0, EXIF_HEADER.length, EXIF_HEADER, 0, EXIF_HEADER.length)) {
            return java.util.Arrays.copyOfRange(exif, EXIF_HEADER.length, exif.length);
        }
        return exif;
    }

    private static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
