package org.lesiontriage.triage.lifecycle;

/** A release this instance will not serve, with the reason it reports as FAILED. */
public final class ReleaseRejectedException extends Exception {

    public ReleaseRejectedException(String reason) {
        super(reason);
    }

    public ReleaseRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
