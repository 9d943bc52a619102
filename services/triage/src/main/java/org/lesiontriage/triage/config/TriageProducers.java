package org.lesiontriage.triage.config;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.Topology;
import org.jboss.logging.Logger;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.registry.SpecificAvroDeserializer;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.inference.ModelDescriptor;
import org.lesiontriage.triage.topology.DeadLetterFactory;
import org.lesiontriage.triage.topology.LesionEventReader;
import org.lesiontriage.triage.topology.TriageComponents;
import org.lesiontriage.triage.topology.TriageMetrics;
import org.lesiontriage.triage.topology.TriageResultFactory;
import org.lesiontriage.triage.topology.TriageTopics;
import org.lesiontriage.triage.topology.TriageTopologyFactory;

/** Wires the service from its configuration: the model (loaded once, at start), the serdes and the topology. */
@ApplicationScoped
public class TriageProducers {

    private static final Logger LOG = Logger.getLogger(TriageProducers.class);

    @Produces
    @Singleton
    LesionClassifier classifier(TriageConfig config) {
        TriageConfig.Model model = config.model();
        // Warm up at the largest batch, so the first full batch does not pay for allocations.
        return LesionClassifier.load(Path.of(model.dir()), new InferenceOptions(model.device(),
                model.intraOpThreads(), model.cudaDeviceId(), config.batch().maxSize()));
    }

    void close(@Disposes LesionClassifier classifier) {
        classifier.close();
    }

    @Produces
    @Singleton
    TriageComponents components(TriageConfig config, LesionClassifier classifier, MeterRegistry meters) {
        ModelDescriptor model = classifier.descriptor();
        TriageConfig.Image image = config.image();
        var preprocessor = new ImagePreprocessor(new ImageLimits(image.maxBytes(), image.maxPixels(), image.minSide()),
                model.inputHeight(), model.inputWidth());
        var deserializer = new SpecificAvroDeserializer<>(LesionImageEvent.class);
        deserializer.configure(serdeConfig(config), false);
        BatchPolicy batching = new BatchPolicy(config.batch().maxSize(), config.batch().maxDelay());
        LOG.infof("Micro-batching: a batch runs at %d images or when its oldest waited %d ms",
                batching.maxSize(), batching.maxDelay().toMillis());
        return new TriageComponents(new LesionEventReader(deserializer), preprocessor, classifier, batching,
                new TriageResultFactory(model), new DeadLetterFactory(TriageResultFactory.modelRef(model)),
                new TriageMetrics(meters));
    }

    @Produces
    Topology topology(TriageConfig config, TriageComponents components) {
        TriageConfig.TopicNames topics = config.topics();
        return TriageTopologyFactory.build(new TriageTopics(topics.images(), topics.results(), topics.failures()),
                components, serdeConfig(config));
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
