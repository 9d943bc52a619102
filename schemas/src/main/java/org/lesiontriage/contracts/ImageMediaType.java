package org.lesiontriage.contracts;

import java.util.Locale;
import java.util.Optional;

/**
 * The image formats of the LesionImageEvent contract ({@code media_type}), recognised by declared media type and by
 * magic number: publishers sniff the bytes to declare the type, the service checks the declaration against them.
 */
public enum ImageMediaType {
    JPEG("image/jpeg", "jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
    PNG("image/png", "png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});

    private final String mediaType;
    private final String imageIoName;
    private final byte[] magic;

    ImageMediaType(String mediaType, String imageIoName, byte[] magic) {
        this.mediaType = mediaType;
        this.imageIoName = imageIoName;
        this.magic = magic;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The ImageIO format name of the decoder. */
    public String imageIoName() {
        return imageIoName;
    }

    /** Parses a Content-Type value; parameters ("; charset=...") and case are ignored. */
    public static Optional<ImageMediaType> fromMediaType(String declared) {
        if (declared == null) {
            return Optional.empty();
        }
        int semicolon = declared.indexOf(';');
        String essence = (semicolon >= 0 ? declared.substring(0, semicolon) : declared).trim().toLowerCase(Locale.ROOT);
        for (ImageMediaType format : values()) {
            if (format.mediaType.equals(essence)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** The format whose magic number starts {@code bytes}, if any. */
    public static Optional<ImageMediaType> sniff(byte[] bytes) {
        for (ImageMediaType format : values()) {
            if (format.matches(bytes)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    public boolean matches(byte[] bytes) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
