package org.lesiontriage.registry;

/** Auto-registration is off and the schema is not registered under the subject. */
public final class SchemaNotRegisteredException extends RegistrySerdeException {

    public static final String REASON = "SCHEMA_NOT_REGISTERED";

    public SchemaNotRegisteredException(String message) {
        this(message, null);
    }

    public SchemaNotRegisteredException(String message, Throwable cause) {
        super(REASON, false, message, cause);
    }
}
