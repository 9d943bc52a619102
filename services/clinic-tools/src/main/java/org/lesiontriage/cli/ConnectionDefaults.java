package org.lesiontriage.cli;

import java.util.Map;
import org.lesiontriage.contracts.DefaultAddresses;

/** Where the tools find Kafka and the schema registry unless told: the variables bin/stack prints, else its ports. */
public final class ConnectionDefaults {

    private ConnectionDefaults() {
    }

    public static String bootstrapServers(Map<String, String> env) {
        return DefaultAddresses.bootstrapServers(env);
    }

    public static String registryUrl(Map<String, String> env) {
        return DefaultAddresses.registryUrl(env);
    }

    /** Security settings (TLS, SASL, registry truststore) from the file $KAFKA_CONFIG_FILE names, else none. */
    public static ClientSettings clientSettings(Map<String, String> env) {
        return ClientSettings.fromEnvironment(env);
    }
}
