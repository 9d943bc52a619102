package org.lesiontriage.clinic;

/**
 * The media type of an image from its first bytes, not its file name: a clinic export named .jpg can hold
 * a PNG, and the service decodes by the declared type.
 */
public final class MediaTypes {

    public static final String JPEG = "image/jpeg";
    public static final String PNG = "image/png";
    /** Declared for anything else, so the service dead-letters it as UNSUPPORTED_MEDIA_TYPE instead of guessing. */
    public static final String UNKNOWN = "application/octet-stream";

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private MediaTypes() {
    }

    public static String sniff(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (bytes.length >= PNG_SIGNATURE.length) {
            boolean png = true;
            for (int i = 0; i < PNG_SIGNATURE.length && png; i++) {
                png = bytes[i] == PNG_SIGNATURE[i];
            }
            if (png) {
                return PNG;
            }
        }
        return UNKNOWN;
    }
}
