package org.lesiontriage.registry;

/**
 * The registry refused the credentials (HTTP 401/403): a configuration error, not a problem of the record.
 * Transient, like REGISTRY_TLS: a consumer retries the record once the credentials are fixed (or a rotation
 * completes) instead of dead-lettering every record it reads meanwhile.
 */
public final class RegistryUnauthorizedException extends RegistrySerdeException {

    public static final String REASON = "REGISTRY_UNAUTHORIZED";

    public RegistryUnauthorizedException(String message) {
        this(message, null);
    }

    public RegistryUnauthorizedException(String message, Throwable cause) {
        super(REASON, true, message, cause);
    }
}
