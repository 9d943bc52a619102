package org.lesiontriage.clinictools.simulator;

import org.lesiontriage.contracts.ImageMediaType;

/**
 * The media type a publisher declares for an image: from its first bytes, not its file name (a clinic export named
 * .jpg can hold a PNG, and the service decodes by the declared type).
 */
public final class MediaTypes {

    /** Declared for anything else, so the service dead-letters it as UNSUPPORTED_MEDIA_TYPE instead of guessing. */
    public static final String UNKNOWN = "application/octet-stream";

    private MediaTypes() {
    }

    public static String sniff(byte[] bytes) {
        return ImageMediaType.sniff(bytes).map(ImageMediaType::mediaType).orElse(UNKNOWN);
    }
}
