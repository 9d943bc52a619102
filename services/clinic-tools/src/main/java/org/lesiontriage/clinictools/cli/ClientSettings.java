package org.lesiontriage.clinictools.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.lesiontriage.registry.RegistrySerdeConfig;

/**
 * Client settings from a Java properties file ({@code --kafka-config FILE}, else {@code $KAFKA_CONFIG_FILE}), so
 * that the tools reach a secured cluster without secrets on the command line. Keys starting with
 * {@code schema.registry.} or {@code basic.auth.} go to the registry serde (e.g. the truststore of an https
 * registry); all others are Kafka client settings (security.protocol, sasl.*, ssl.*) and win over the tools' own.
 */
public record ClientSettings(Map<String, String> kafka, Map<String, String> registry) {

    public static final String OPTION = "--kafka-config";
    public static final String ENV = "KAFKA_CONFIG_FILE";

    public ClientSettings {
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
    }

    public static ClientSettings none() {
        return new ClientSettings(Map.of(), Map.of());
    }

    /** The file named by $KAFKA_CONFIG_FILE, or none. */
    public static ClientSettings fromEnvironment(Map<String, String> env) {
        String file = env.get(ENV);
        return file == null || file.isBlank() ? none() : read(Path.of(file));
    }

    public static ClientSettings read(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UsageException("cannot read the client settings file " + file + " (" + OPTION + " / $" + ENV
                    + "): " + e.getMessage());
        }
        Map<String, String> kafka = new TreeMap<>();
        Map<String, String> registry = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            (RegistrySerdeConfig.isSerdeKey(key) ? registry : kafka).put(key, properties.getProperty(key).trim());
        }
        return new ClientSettings(kafka, registry);
    }

    /** Adds the Kafka settings to a producer's or consumer's configuration, replacing the tool's defaults. */
    public Properties applyTo(Properties clientConfig) {
        clientConfig.putAll(kafka);
        return clientConfig;
    }

    /** The registry serde's settings: those from the file, and {@code registryUrl}. */
    public Map<String, Object> serdeConfig(String registryUrl) {
        Map<String, Object> serde = new TreeMap<>(registry);
        serde.put("schema.registry.url", registryUrl);
        return serde;
    }

    @Override
    public String toString() {
        return "ClientSettings[kafka=" + kafka.keySet() + ", registry=" + registry.keySet() + "]"; // keys, no secrets
    }
}
