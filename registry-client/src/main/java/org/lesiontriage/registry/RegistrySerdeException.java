package org.lesiontriage.registry;

import org.apache.kafka.common.errors.SerializationException;
import org.lesiontriage.contracts.ReasonCode;

/**
 * Every failure of the registry serde, with its {@link ReasonCode}: a consumer routes a record to a dead letter
 * with it, and {@link #isTransient()} tells whether retrying the same bytes later can succeed.
 */
public class RegistrySerdeException extends SerializationException {

    private final ReasonCode reason;

    public RegistrySerdeException(ReasonCode reason, String message) {
        this(reason, message, null);
    }

    public RegistrySerdeException(ReasonCode reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public final ReasonCode reason() {
        return reason;
    }

    /** Stable reason, e.g. {@code NOT_WIRE_FORMAT}; listed in docs/operations.md. */
    public final String reasonCode() {
        return reason.name();
    }

    /** True when the failure lies outside the record (e.g. the registry is down) and a retry may succeed. */
    public final boolean isTransient() {
        return reason.isTransient();
    }
}
