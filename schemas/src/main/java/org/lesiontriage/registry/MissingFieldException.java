package org.lesiontriage.registry;

/** The writer schema lacks a field that the reader requires and has no default for. */
public final class MissingFieldException extends SchemaMismatchException {

    public static final String REASON = "MISSING_FIELD";

    public MissingFieldException(String message) {
        super(REASON, message, null);
    }
}
