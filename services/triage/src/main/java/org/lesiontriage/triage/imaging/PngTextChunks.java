package org.lesiontriage.triage.imaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** The PNG text chunks (tEXt, zTXt, iTXt) that can carry an orientation, and the EXIF forms they hold. */
final class PngTextChunks {

    static final String EXIF = "exif";
    static final String RAW_PROFILE_EXIF = "Raw profile type exif";
    static final String XMP = "XML:com.adobe.xmp";

    /** Compressed text is inflated up to this size only: metadata is small, bombs are not. */
    private static final int MAX_TEXT = 1 << 20;
    private static final byte[] EXIF_HEADER = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);

    record Text(String keyword, byte[] value) {
    }

    private PngTextChunks() {
    }

    /** Keyword and (inflated) value of a text chunk; null when malformed or keyed other than the three above. */
    static Text read(String type, byte[] b, int from, int to) {
        int nul = indexOf(b, from, to, (byte) 0);
        if (nul < 0) {
            return null;
        }
        String keyword = new String(b, from, nul - from, StandardCharsets.ISO_8859_1);
        if (!keyword.equals(EXIF) && !keyword.equals(RAW_PROFILE_EXIF) && !keyword.equals(XMP)) {
            return null;
        }
        switch (type) {
            case "tEXt":
                return new Text(keyword, Arrays.copyOfRange(b, nul + 1, to));
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
                byte[] value = compressed ? inflate(b, translated + 1, to) : Arrays.copyOfRange(b, translated + 1, to);
                return value == null ? null : new Text(keyword, value);
            }
        }
    }

    /** ImageMagick's "Raw profile" text: a name line, a length line, then hex digits (PIL skips 3 lines). */
    static byte[] rawProfileBytes(byte[] text) {
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

    /** EXIF as a TIFF structure: without the "Exif\0\0" header that some writers keep. */
    static byte[] stripExifHeader(byte[] exif) {
        if (exif != null && exif.length >= EXIF_HEADER.length
                && Arrays.equals(exif, 0, EXIF_HEADER.length, EXIF_HEADER, 0, EXIF_HEADER.length)) {
            return Arrays.copyOfRange(exif, EXIF_HEADER.length, exif.length);
        }
        return exif;
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

    private static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
