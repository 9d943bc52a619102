package org.lesiontriage.registry;

/** The registry rejected the schema because it breaks the subject's compatibility policy (HTTP 409). */
public final class IncompatibleSchemaException extends RegistrySerdeException {

    public static final String REASON = "INCOMPATIBLE_SCHEMA";

    public IncompatibleSchemaException(String message) {
        this(message, null);
    }

    public IncompatibleSchemaException(String message, Throwable cause) {
        super(REASON, false, message, cause);
    }
}
