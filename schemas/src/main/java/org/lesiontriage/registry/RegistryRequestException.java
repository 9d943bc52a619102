package org.lesiontriage.registry;

/** The registry rejected a request for a reason not covered by a more specific exception. */
public final class RegistryRequestException extends RegistrySerdeException {

    public static final String REASON = "REGISTRY_ERROR";

    public RegistryRequestException(String message) {
        this(message, null);
    }

    public RegistryRequestException(String message, Throwable cause) {
        super(REASON, false, message, cause);
    }
}
