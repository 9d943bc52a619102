package org.lesiontriage.registry;

/**
 * The bytes do not decode with the writer schema named in their header, or the writer schema cannot be resolved to
 * the reader's schema.
 */
public class SchemaMismatchException extends RegistrySerdeException {

    public static final String REASON = "SCHEMA_MISMATCH";

    public SchemaMismatchException(String message, Throwable cause) {
        this(REASON, message, cause);
    }

    protected SchemaMismatchException(String reasonCode, String message, Throwable cause) {
        super(reasonCode, false, message, cause);
    }
}
