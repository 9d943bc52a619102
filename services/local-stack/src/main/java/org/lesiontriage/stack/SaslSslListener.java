package org.lesiontriage.stack;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.lesiontriage.stack.tls.LoopbackTls;
import org.lesiontriage.stack.tls.ScramUser;

/** The SASL_SSL (SCRAM-SHA-512 over TLS) client listener of {@link KafkaBroker#startSaslSsl}. */
final class SaslSslListener {

    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(20);

    private SaslSslListener() {
    }

    /** Broker settings: TLS with the loopback server certificate, SCRAM-SHA-512 as the only mechanism. */
    static void configure(Properties properties, LoopbackTls tls) {
        properties.put("sasl.enabled.mechanisms", ScramUser.MECHANISM);
        properties.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        properties.put("ssl.keystore.location", tls.keystore().toString());
        properties.put("ssl.keystore.password", tls.password());
        properties.put("ssl.keystore.type", LoopbackTls.STORE_TYPE);
        properties.put("ssl.client.auth", "none");
    }

    /** What a client of the listener sets besides bootstrap.servers. */
    static Map<String, String> clientSettings(LoopbackTls tls, ScramUser user) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", ScramUser.MECHANISM);
        settings.put("sasl.jaas.config", user.jaasConfig());
        settings.putAll(tls.truststoreSettings(""));
        return settings;
    }

    /** SCRAM credentials live in the KRaft metadata; the admin API over the internal listener writes them. */
    static void createUser(String internalBootstrap, ScramUser user) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user.name(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), user.password())))
                    .all().get(LOGIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Creating the SCRAM user " + user.name() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the SCRAM user", e);
        }
    }

    /**
     * The broker learns the new credentials from the metadata log a moment after the controller accepted them;
     * until then a login fails. Waits until one succeeds, which also proves the TLS setup.
     */
    static void awaitLogin(String clientBootstrap, Map<String, String> clientSettings) {
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, clientBootstrap);
        long deadline = System.nanoTime() + LOGIN_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException)) {
                    throw new IllegalStateException("Logging in over SASL_SSL failed", e.getCause());
                }
                last = e;
            } catch (TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while logging in over SASL_SSL", e);
            }
            sleep(200);
        }
        throw new IllegalStateException("No SASL_SSL login within " + LOGIN_TIMEOUT.toSeconds() + " s", last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
