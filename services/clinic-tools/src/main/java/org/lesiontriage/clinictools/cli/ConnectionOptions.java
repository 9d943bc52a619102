package org.lesiontriage.clinictools.cli;

import java.nio.file.Path;
import java.util.Map;
import org.lesiontriage.contracts.DefaultAddresses;
import picocli.CommandLine.Option;

/** The options every clinic tool has for reaching Kafka and the registry; defaults from the environment. */
public final class ConnectionOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", description = "schema registry, Confluent API "
            + "(default: $SCHEMA_REGISTRY_URL or http://127.0.0.1:8081/apis/ccompat/v7)")
    String registryUrl;

    @Option(names = ClientSettings.OPTION, paramLabel = "FILE", description = "Kafka client and registry settings for "
            + "a secured cluster, as a properties file: security.protocol, sasl.*, ssl.*, "
            + "schema.registry.ssl.truststore.*, basic.auth.user.info (default: $KAFKA_CONFIG_FILE; see "
            + "docs/operations.md)")
    Path kafkaConfig;

    public String bootstrapServers(Map<String, String> env) {
        return bootstrapServers != null ? bootstrapServers : DefaultAddresses.bootstrapServers(env);
    }

    public String registryUrl(Map<String, String> env) {
        return registryUrl != null ? registryUrl : DefaultAddresses.registryUrl(env);
    }

    /** Security settings (TLS, SASL, registry truststore) from --kafka-config, else $KAFKA_CONFIG_FILE, else none. */
    public ClientSettings clientSettings(Map<String, String> env) {
        return kafkaConfig != null ? ClientSettings.read(kafkaConfig) : ClientSettings.fromEnvironment(env);
    }
}
