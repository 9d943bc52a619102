package org.lesiontriage.cli;

import java.util.Map;

/** Where the tools find Kafka and the schema registry unless told: the variables bin/stack prints, else its ports. */
public final class ConnectionDefaults {

    private ConnectionDefaults() {
    }

    public static String bootstrapServers(Map<String, String> env) {
        return env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    }

    public static String registryUrl(Map<String, String> env) {
        return env.getOrDefault("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7");
    }

    /** Security settings (TLS, SASL, registry truststore) from the file $KAFKA_CONFIG_FILE names, else none. */
    public static ClientSettings clientSettings(Map<String, String> env) {
        return ClientSettings.fromEnvironment(env);
    }
}
