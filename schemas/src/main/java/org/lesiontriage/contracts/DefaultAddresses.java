package org.lesiontriage.contracts;

import java.util.Map;

/**
 * Where Kafka and the schema registry are unless told: the variables {@code bin/stack} prints, else its default
 * ports on loopback. The service, the clinic tools and the re-score command all resolve them here.
 */
public final class DefaultAddresses {

    public static final String KAFKA_BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String SCHEMA_REGISTRY_URL_ENV = "SCHEMA_REGISTRY_URL";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String SCHEMA_REGISTRY_URL = "http://127.0.0.1:8081/apis/ccompat/v7";

    private DefaultAddresses() {
    }

    public static String bootstrapServers(Map<String, String> env) {
        return env.getOrDefault(KAFKA_BOOTSTRAP_SERVERS_ENV, KAFKA_BOOTSTRAP_SERVERS);
    }

    public static String registryUrl(Map<String, String> env) {
        return env.getOrDefault(SCHEMA_REGISTRY_URL_ENV, SCHEMA_REGISTRY_URL);
    }
}
