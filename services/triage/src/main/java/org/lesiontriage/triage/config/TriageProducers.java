package org.lesiontriage.triage.config;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.rescore.ReplaySettings;
import org.lesiontriage.triage.topology.TriageComponents;
import org.lesiontriage.triage.topology.TriageTopics;
import org.lesiontriage.triage.topology.TriageTopologyFactory;

/** Wires the service from its configuration: the model (loaded once, at start), the serdes and the topology. */
@ApplicationScoped
public class TriageProducers {

    private static final Logger LOG = Logger.getLogger(TriageProducers.class);
    /** Kafka client settings the service passes to Kafka Streams as they are (see application.properties). */
    private static final String KAFKA_STREAMS_PREFIX = "kafka-streams.";

    @Produces
    @Singleton
    LesionClassifier classifier(TriageConfig config) {
        return LesionClassifier.load(Path.of(config.model().dir()), inference(config));
    }

    void close(@Disposes LesionClassifier classifier) {
        classifier.close();
    }

    @Produces
    @Singleton
    TriageComponents components(TriageConfig config, LesionClassifier classifier, MeterRegistry meters) {
        BatchPolicy batching = batching(config);
        LOG.infof("Micro-batching: a batch runs at %d images or when its oldest waited %d ms",
                batching.maxSize(), batching.maxDelay().toMillis());
        return TriageComponents.assemble(classifier, limits(config), batching, serdeConfig(config), meters);
    }

    @Produces
    Topology topology(TriageConfig config, TriageComponents components) {
        TriageConfig.TopicNames topics = config.topics();
        return TriageTopologyFactory.build(new TriageTopics(topics.images(), topics.results(), topics.failures()),
                components, serdeConfig(config));
    }

    /**
     * Re-score jobs connect like the live service (its bootstrap servers and security settings), score with the
     * same image limits, batching and inference options, and never write into its output topics.
     */
    @Produces
    @Singleton
    ReplaySettings replaySettings(TriageConfig config) {
        Config all = ConfigProvider.getConfig();
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", all.getValue("quarkus.kafka-streams.bootstrap-servers", String.class));
        for (String name : all.getPropertyNames()) {
            String key = name.startsWith(KAFKA_STREAMS_PREFIX) ? name.substring(KAFKA_STREAMS_PREFIX.length()) : "";
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                all.getOptionalValue(name, String.class).ifPresent(value -> kafka.put(key, value));
            }
        }
        return new ReplaySettings(kafka, serdeConfig(config), Path.of(config.rescore().workDir()), inference(config),
                limits(config), batching(config),
                Set.of(config.topics().images(), config.topics().results(), config.topics().failures()),
                all.getValue("quarkus.kafka-streams.application-id", String.class));
    }

    /** Warm-up at the largest batch, so the first full batch does not pay for allocations. */
    private static InferenceOptions inference(TriageConfig config) {
        TriageConfig.Model model = config.model();
        return new InferenceOptions(model.device(), model.intraOpThreads(), model.cudaDeviceId(), config.batch().maxSize());
    }

    private static ImageLimits limits(TriageConfig config) {
        TriageConfig.Image image = config.image();
        return new ImageLimits(image.maxBytes(), image.maxPixels(), image.minSide());
    }

    private static BatchPolicy batching(TriageConfig config) {
        return new BatchPolicy(config.batch().maxSize(), config.batch().maxDelay());
    }

    /** The schema registry settings in the keys every Confluent-protocol serde understands. */
    static Map<String, Object> serdeConfig(TriageConfig config) {
        TriageConfig.SchemaRegistry registry = config.schemaRegistry();
        Map<String, Object> serde = new HashMap<>();
        serde.put("schema.registry.url", registry.url());
        serde.put("auto.register.schemas", registry.autoRegister());
        registry.basicAuthUserInfo().ifPresent(userInfo -> {
            serde.put("basic.auth.credentials.source", "USER_INFO");
            serde.put("basic.auth.user.info", userInfo);
        });
        registry.truststoreLocation().ifPresent(location -> serde.put("schema.registry.ssl.truststore.location", location));
        registry.truststorePassword().ifPresent(password -> serde.put("schema.registry.ssl.truststore.password", password));
        registry.truststoreType().ifPresent(type -> serde.put("schema.registry.ssl.truststore.type", type));
        return serde;
    }
}
