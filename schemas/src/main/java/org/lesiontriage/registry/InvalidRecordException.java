package org.lesiontriage.registry;

/** The record to serialize does not conform to its own schema, e.g. a required field is null. */
public final class InvalidRecordException extends RegistrySerdeException {

    public static final String REASON = "INVALID_RECORD";

    public InvalidRecordException(String message) {
        this(message, null);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(REASON, false, message, cause);
    }
}
