package org.lesiontriage.triage.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Every setting of the triage pipeline, typed: the {@code triage.*} mapping ({@link TriageConfig}) and the Kafka
 * Streams settings ({@code kafka-streams.*}, bootstrap servers, application id). Inside the Quarkus service it is
 * read from the running configuration; everywhere else (bin/rescore, the benchmarks, the tests) {@link #load} reads
 * the same application.properties, environment and system properties, so a {@code TRIAGE_*} variable means the
 * same thing to every entry point.
 *
 * @param kafkaStreams the {@code kafka-streams.*} keys without their prefix; empty values (Kafka's default) left out
 */
public record TriageSettings(TriageConfig triage, String bootstrapServers, String applicationId,
                             Map<String, String> kafkaStreams) {

    static final String KAFKA_STREAMS_PREFIX = "kafka-streams.";
    static final String BOOTSTRAP_SERVERS = "quarkus.kafka-streams.bootstrap-servers";
    static final String APPLICATION_ID = "quarkus.kafka-streams.application-id";
    /** Where application.properties sits in the ordinals of Quarkus: above defaults, below the environment (300). */
    private static final int PROPERTIES_ORDINAL = 250;
    private static final int OVERRIDES_ORDINAL = 500;

    public TriageSettings {
        kafkaStreams = Map.copyOf(kafkaStreams);
    }

    /** The settings of a running configuration (the Quarkus service's). */
    public static TriageSettings from(Config config) {
        SmallRyeConfig smallRye = config.unwrap(SmallRyeConfig.class);
        Map<String, String> streams = new TreeMap<>();
        for (String name : smallRye.getPropertyNames()) {
            if (name.startsWith(KAFKA_STREAMS_PREFIX)) {
                smallRye.getOptionalValue(name, String.class)
                        .ifPresent(value -> streams.put(name.substring(KAFKA_STREAMS_PREFIX.length()), value));
            }
        }
        return new TriageSettings(smallRye.getConfigMapping(TriageConfig.class),
                smallRye.getValue(BOOTSTRAP_SERVERS, String.class), smallRye.getValue(APPLICATION_ID, String.class),
                streams);
    }

    /** The service's settings outside Quarkus: application.properties, this process's environment and -D. */
    public static TriageSettings load(Map<String, String> overrides) {
        return load(overrides, System.getenv());
    }

    /**
     * @param overrides settings that win over everything (command-line options, a test's choices)
     * @param env       the environment, as the service would see it ({@code TRIAGE_BATCH_MAX_SIZE}, ...)
     */
    public static TriageSettings load(Map<String, String> overrides, Map<String, String> env) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(applicationProperties())
                .withSources(new EnvConfigSource(env, EnvConfigSource.ORDINAL))
                .withSources(new SysPropConfigSource())
                .withSources(new PropertiesConfigSource(Map.copyOf(overrides), "overrides", OVERRIDES_ORDINAL))
                // Quarkus' notation for durations ("10ms", "30s"), as in application.properties
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(TriageConfig.class)
                .withValidateUnknown(false);
        return from(builder.build());
    }

    /** Every application.properties on the class path, the first (e.g. a test's) winning, as in Quarkus. */
    private static List<ConfigSource> applicationProperties() {
        try {
            List<URL> files = Collections.list(TriageSettings.class.getClassLoader().getResources("application.properties"));
            if (files.isEmpty()) {
                throw new IllegalStateException("application.properties of the triage service is not on the class path");
            }
            List<ConfigSource> sources = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                sources.add(new PropertiesConfigSource(files.get(i), PROPERTIES_ORDINAL + files.size() - 1 - i));
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
    }

    /** A Kafka client properties file in the service's keys: registry keys to triage.schema-registry.*, the rest
     * to the Kafka clients (kafka-streams.*). */
    public static Map<String, String> fromClientProperties(java.util.Properties file) {
        Map<String, String> registryKeys = Map.of(
                org.lesiontriage.registry.RegistrySerdeConfig.SCHEMA_REGISTRY_URL, "url",
                org.lesiontriage.registry.RegistrySerdeConfig.BASIC_AUTH_USER_INFO, "basic-auth-user-info",
                org.lesiontriage.registry.RegistrySerdeConfig.AUTO_REGISTER_SCHEMAS, "auto-register",
                org.lesiontriage.registry.RegistrySerdeConfig.SSL_TRUSTSTORE_LOCATION, "truststore-location",
                org.lesiontriage.registry.RegistrySerdeConfig.SSL_TRUSTSTORE_PASSWORD, "truststore-password",
                org.lesiontriage.registry.RegistrySerdeConfig.SSL_TRUSTSTORE_TYPE, "truststore-type");
        Map<String, String> settings = new java.util.HashMap<>();
        for (String key : file.stringPropertyNames()) {
            String value = file.getProperty(key);
            if (registryKeys.containsKey(key)) {
                settings.put("triage.schema-registry." + registryKeys.get(key), value);
            } else if (!org.lesiontriage.registry.RegistrySerdeConfig.isSerdeKey(key)) {
                settings.put("kafka-streams." + key, value);
            }
        }
        return settings;
    }
}
