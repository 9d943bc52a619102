package org.lesiontriage.registry;

/** The registry rejected the schema as invalid (HTTP 422). */
public final class InvalidSchemaException extends RegistrySerdeException {

    public static final String REASON = "INVALID_SCHEMA";

    public InvalidSchemaException(String message) {
        this(message, null);
    }

    public InvalidSchemaException(String message, Throwable cause) {
        super(REASON, false, message, cause);
    }
}
