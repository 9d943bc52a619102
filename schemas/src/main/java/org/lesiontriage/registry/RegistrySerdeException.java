package org.lesiontriage.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Every failure of the registry serde. The reason code is stable and machine-readable, so a consumer can route a
 * record to a dead letter with it; {@link #isTransient()} tells whether retrying the same bytes later can succeed.
 */
public class RegistrySerdeException extends SerializationException {

    private final String reasonCode;
    private final boolean transientFailure;

    protected RegistrySerdeException(String reasonCode, boolean transientFailure, String message, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
        this.transientFailure = transientFailure;
    }

    /** Stable reason, e.g. {@code NOT_WIRE_FORMAT}; listed in docs/contracts.md. */
    public final String reasonCode() {
        return reasonCode;
    }

    /** True when the failure lies outside the record (e.g. the registry is down) and a retry may succeed. */
    public final boolean isTransient() {
        return transientFailure;
    }
}
