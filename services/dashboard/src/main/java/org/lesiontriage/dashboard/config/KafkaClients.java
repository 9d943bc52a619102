package org.lesiontriage.dashboard.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.lesiontriage.registry.RegistrySerdeConfig;

/**
 * The Kafka client and registry serde settings: every {@code kafka.*} key (the same KAFKA_* variables as the
 * service) and the {@code schema-registry.*} keys (SCHEMA_REGISTRY_*). Empty values are left out, so an unset
 * variable leaves the client's default.
 */
@ApplicationScoped
public class KafkaClients {

    private static final String KAFKA_PREFIX = "kafka.";
    private static final Map<String, String> SERDE_KEYS = Map.of(
            "schema-registry.url", RegistrySerdeConfig.SCHEMA_REGISTRY_URL,
            "schema-registry.basic-auth-user-info", RegistrySerdeConfig.BASIC_AUTH_USER_INFO,
            "schema-registry.truststore-location", RegistrySerdeConfig.SSL_TRUSTSTORE_LOCATION,
            "schema-registry.truststore-password", RegistrySerdeConfig.SSL_TRUSTSTORE_PASSWORD,
            "schema-registry.truststore-type", RegistrySerdeConfig.SSL_TRUSTSTORE_TYPE,
            "schema-registry.request-timeout-ms", RegistrySerdeConfig.REQUEST_TIMEOUT_MS);

    private final Map<String, Object> kafka = new TreeMap<>();
    private final Map<String, Object> serde = new TreeMap<>();

    @Inject
    public KafkaClients(Config config) {
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(KAFKA_PREFIX)) {
                config.getOptionalValue(name, String.class).filter(v -> !v.isBlank())
                        .ifPresent(value -> kafka.put(name.substring(KAFKA_PREFIX.length()), value));
            }
        }
        SERDE_KEYS.forEach((key, serdeKey) -> config.getOptionalValue(key, String.class).filter(v -> !v.isBlank())
                .ifPresent(value -> serde.put(serdeKey, value)));
    }

    /** Settings for a consumer in {@code group}, reading only committed records. */
    public Map<String, Object> consumer(String group) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    /** Settings for a producer, or a consumer without a group (plus its own keys). */
    public Map<String, Object> client() {
        return new HashMap<>(kafka);
    }

    /** The registry serde's settings. */
    public Map<String, Object> serde() {
        return Map.copyOf(serde);
    }

    /** Where the brokers are, for messages. */
    public String bootstrapServers() {
        return String.valueOf(kafka.get("bootstrap.servers"));
    }
}
