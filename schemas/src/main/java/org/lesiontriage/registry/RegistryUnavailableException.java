package org.lesiontriage.registry;

/** The registry could not be reached or answered with a server error; retrying later may succeed. */
public final class RegistryUnavailableException extends RegistrySerdeException {

    public static final String REASON = "REGISTRY_UNAVAILABLE";

    public RegistryUnavailableException(String message) {
        this(message, null);
    }

    public RegistryUnavailableException(String message, Throwable cause) {
        super(REASON, true, message, cause);
    }
}
