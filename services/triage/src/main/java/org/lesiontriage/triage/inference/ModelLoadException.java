package org.lesiontriage.triage.inference;

/** The model cannot be served: missing, corrupt, or not matching the preprocessing contract. Stops start-up. */
public final class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
