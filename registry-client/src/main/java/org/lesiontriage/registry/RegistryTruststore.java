package org.lesiontriage.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * The certificates the serde trusts for an https registry, from {@code schema.registry.ssl.truststore.*}:
 * a PKCS12 or JKS store, or a PEM file of CA certificates. Errors name the key, never the password.
 */
final class RegistryTruststore {

    private RegistryTruststore() {
    }

    static SSLContext sslContext(String location, String password, String type) {
        Path path = Path.of(location);
        if (!Files.isReadable(path)) {
            throw new ConfigException(RegistrySerdeConfig.SSL_TRUSTSTORE_LOCATION + " names no readable file: " + location);
        }
        String storeType = type == null || type.isBlank() ? "PKCS12" : type.trim().toUpperCase(Locale.ROOT);
        try {
            KeyStore store = storeType.equals("PEM") ? fromPem(path) : fromStore(path, password, storeType);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            // A wrong password surfaces as an IOException whose message says so; it never contains the password.
            throw new ConfigException("Cannot load the " + storeType + " truststore " + location + " ("
                    + RegistrySerdeConfig.SSL_TRUSTSTORE_LOCATION + ", " + RegistrySerdeConfig.SSL_TRUSTSTORE_PASSWORD
                    + ", " + RegistrySerdeConfig.SSL_TRUSTSTORE_TYPE + "): " + e.getMessage());
        }
    }

    private static KeyStore fromStore(Path path, String password, String storeType)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(storeType);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }

    private static KeyStore fromPem(Path path) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(path)) {
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new GeneralSecurityException("no certificate in the PEM file");
            }
        }
        return store;
    }
}
