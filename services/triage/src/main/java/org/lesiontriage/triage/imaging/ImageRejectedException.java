package org.lesiontriage.triage.imaging;

import org.lesiontriage.contracts.ReasonCode;

/** An image that the preprocessing contract refuses, with its (permanent) {@link ReasonCode}. */
public final class ImageRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ReasonCode reason;

    public ImageRejectedException(ReasonCode reason, String message) {
        this(reason, message, null);
    }

    public ImageRejectedException(ReasonCode reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public ReasonCode reason() {
        return reason;
    }
}
