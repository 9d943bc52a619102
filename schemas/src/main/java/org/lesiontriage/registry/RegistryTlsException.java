package org.lesiontriage.registry;

/**
 * The TLS handshake with the registry failed, most often because its certificate is not trusted
 * (schema.registry.ssl.truststore.*). It is the setup's fault, not the record's: transient, so that a consumer
 * retries the record once the trust is fixed (or a certificate rotation completes) instead of dead-lettering it.
 */
public final class RegistryTlsException extends RegistrySerdeException {

    public static final String REASON = "REGISTRY_TLS";

    public RegistryTlsException(String message, Throwable cause) {
        super(REASON, true, message, cause);
    }
}
