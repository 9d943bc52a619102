package org.lesiontriage.stack.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and a server certificate it signed for 127.0.0.1 and localhost, made with the
 * running JDK's keytool when a secured stack starts. Nothing of it is ever committed: keys, stores and the store
 * password are new for each run.
 *
 * <p>{@link #keystore()} holds the server's key and certificate (for the broker and the registry),
 * {@link #truststore()} only the CA certificate (for clients). Both are PKCS12 with the same random password.
 */
public final class LoopbackTls {

    public static final String STORE_TYPE = "PKCS12";
    private static final String PASSWORD_VARIABLE = "LOOPBACK_TLS_STORE_PASSWORD";
    private static final int VALIDITY_DAYS = 2;

    private final Path keystore;
    private final Path truststore;
    private final String password;

    private LoopbackTls(Path keystore, Path truststore, String password) {
        this.keystore = keystore;
        this.truststore = truststore;
        this.password = password;
    }

    /** Generates the CA, the server certificate and both stores in {@code dir}. */
    public static LoopbackTls generate(Path dir) {
        try {
            Files.createDirectories(dir);
            Keytool keytool = new Keytool(dir, RandomSecrets.password());
            keytool.run("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=Lesion triage loopback test CA", "-ext", "bc:c", "-validity", days(),
                    "-keystore", "ca.p12", "-storetype", STORE_TYPE);
            keytool.run("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-validity", days(), "-keystore", "server.p12", "-storetype", STORE_TYPE);
            keytool.run("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
            // Clients verify the host name, so the certificate names the loopback address both ways.
            keytool.run("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr",
                    "-outfile", "server.crt", "-rfc", "-validity", days(), "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                    "-ext", "KU=digitalSignature", "-ext", "EKU=serverAuth");
            keytool.run("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.crt");
            // keytool installs a signed reply only when it can build the chain: the CA goes in, then out again.
            keytool.run("-importcert", "-alias", "ca", "-file", "ca.crt", "-keystore", "server.p12", "-noprompt");
            keytool.run("-importcert", "-alias", "server", "-file", "server.crt", "-keystore", "server.p12", "-noprompt");
            keytool.run("-delete", "-alias", "ca", "-keystore", "server.p12");
            keytool.run("-importcert", "-alias", "ca", "-file", "ca.crt", "-keystore", "truststore.p12",
                    "-storetype", STORE_TYPE, "-noprompt");
            Files.delete(dir.resolve("ca.p12")); // the CA's key is needed no more: nothing else can be signed
            return new LoopbackTls(dir.resolve("server.p12"), dir.resolve("truststore.p12"), keytool.password);
        } catch (IOException e) {
            throw new UncheckedIOException("Generating the loopback test certificates failed", e);
        }
    }

    /** PKCS12 store with the server's private key and its certificate chain. */
    public Path keystore() {
        return keystore;
    }

    /** PKCS12 store with the CA certificate only. */
    public Path truststore() {
        return truststore;
    }

    /** PEM file with the CA certificate, for tools that take PEM. */
    public Path caCertificatePem() {
        return truststore.resolveSibling("ca.crt");
    }

    /** Password of both stores. */
    public String password() {
        return password;
    }

    /** Kafka client settings trusting the CA ({@code ssl.truststore.*}), each key under {@code prefix}. */
    public Map<String, String> truststoreSettings(String prefix) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(prefix + "ssl.truststore.location", truststore.toString());
        settings.put(prefix + "ssl.truststore.password", password);
        settings.put(prefix + "ssl.truststore.type", STORE_TYPE);
        return settings;
    }

    /** An SSL context that trusts the CA, for the JDK HTTP client. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(truststore)) {
            KeyStore store = KeyStore.getInstance(STORE_TYPE);
            store.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Loading the loopback truststore failed", e);
        }
    }

    @Override
    public String toString() {
        return "LoopbackTls[" + truststore.getParent() + "]";
    }

    private static String days() {
        return String.valueOf(VALIDITY_DAYS);
    }

    /** Runs the JDK's keytool in one folder; the store password travels in the environment, not the command line. */
    private static final class Keytool {

        private final Path dir;
        private final String password;

        Keytool(Path dir, String password) {
            this.dir = dir;
            this.password = password;
        }

        void run(String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(List.of(args));
            command.add("-storepass:env");
            command.add(PASSWORD_VARIABLE);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put(PASSWORD_VARIABLE, password);
            Process process = builder.start();
            try (InputStream out = process.getInputStream()) {
                String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IOException("keytool " + args[0] + " failed: " + output.strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while running keytool", e);
            }
        }
    }
}
