package org.lesiontriage.triage.imaging;

/** An image that the preprocessing contract refuses; {@link #reasonCode()} is stable and machine-readable. */
public final class ImageRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Every reason an image can be rejected for. */
    public enum Reason {
        IMAGE_EMPTY,
        IMAGE_TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        MEDIA_TYPE_MISMATCH,
        IMAGE_TOO_MANY_PIXELS,
        IMAGE_TOO_SMALL,
        IMAGE_UNDECODABLE,
        IMAGE_UNSUPPORTED_COLOR
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public String reasonCode() {
        return reason.name();
    }
}
