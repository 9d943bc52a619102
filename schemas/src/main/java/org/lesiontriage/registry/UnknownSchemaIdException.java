package org.lesiontriage.registry;

/** The schema id in the header is not known to the registry. */
public final class UnknownSchemaIdException extends RegistrySerdeException {

    public static final String REASON = "UNKNOWN_SCHEMA_ID";

    public UnknownSchemaIdException(String message) {
        this(message, null);
    }

    public UnknownSchemaIdException(String message, Throwable cause) {
        super(REASON, false, message, cause);
    }
}
