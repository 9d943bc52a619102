package org.lesiontriage.triage.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.SpecificAvroDeserializer;
import org.lesiontriage.registry.SpecificAvroSerializer;
import org.lesiontriage.registry.testing.InMemorySchemaRegistry;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.config.TriageSettings;
import org.lesiontriage.triage.failures.InMemoryAttemptLedger;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import org.lesiontriage.triage.topology.TriageComponents;

/** Builds the real triage topology with the real model and real serdes, for tests that drive it. */
public final class TopologyHarness {

    private TopologyHarness() {
    }

    /** The registry of the fast rung: in memory, one per test class, spoken to through the real serdes. */
    public static Map<String, Object> inMemoryRegistry(Class<?> testClass) {
        return Map.of("schema.registry.url", InMemorySchemaRegistry.url(testClass.getSimpleName().toLowerCase(Locale.ROOT)));
    }

    /** The pipeline as the service assembles it, with these batching, limits and registry settings. */
    public static PipelineAssembly pipeline(Map<String, ?> serdeConfig, BatchPolicy policy, ImageLimits limits) {
        return pipeline(serdeConfig, policy, limits, Map.of());
    }

    /** The same, with further settings (e.g. the bootstrap servers of a real broker). */
    public static PipelineAssembly pipeline(Map<String, ?> serdeConfig, BatchPolicy policy, ImageLimits limits,
                                            Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(more);
        settings.put("triage.schema-registry.url", String.valueOf(serdeConfig.get("schema.registry.url")));
        Object timeout = serdeConfig.get("schema.registry.request.timeout.ms");
        if (timeout != null) {
            settings.put("triage.schema-registry.request-timeout", timeout + "ms");
        }
        settings.put("triage.batch.max-size", Integer.toString(policy.maxSize()));
        settings.put("triage.batch.max-delay", policy.maxDelay().toMillis() + "ms");
        settings.put("triage.image.max-bytes", Long.toString(limits.maxBytes()));
        settings.put("triage.image.max-pixels", Long.toString(limits.maxPixels()));
        settings.put("triage.image.min-side", Integer.toString(limits.minSide()));
        return new PipelineAssembly(TriageSettings.load(settings, Map.of()));
    }

    public static TriageComponents components(Map<String, ?> serdeConfig, BatchPolicy policy, ImageLimits limits,
                                              SimpleMeterRegistry meters) {
        return pipeline(serdeConfig, policy, limits).components(TestModel.classifier(), meters,
                new InMemoryAttemptLedger());
    }

    public static Topology topology(TriageComponents components, Map<String, ?> serdeConfig) {
        return pipeline(serdeConfig, components.batchPolicy(), ImageLimits.defaults()).topology(components);
    }

    public static TopologyTestDriver driver(Topology topology) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "triage-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(topology, props);
    }

    public static BatchPolicy policy(int maxSize, long maxDelayMs) {
        return new BatchPolicy(maxSize, Duration.ofMillis(maxDelayMs));
    }

    public static TestInputTopic<byte[], byte[]> images(TopologyTestDriver driver) {
        return driver.createInputTopic(Topics.LESION_IMAGES, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static TestOutputTopic<byte[], TriageResult> results(TopologyTestDriver driver, Map<String, ?> serdeConfig) {
        return driver.createOutputTopic(Topics.TRIAGE_RESULTS, new ByteArrayDeserializer(),
                deserializer(TriageResult.class, serdeConfig));
    }

    public static TestOutputTopic<byte[], DeadLetter> deadLetters(TopologyTestDriver driver, Map<String, ?> serdeConfig) {
        return driver.createOutputTopic(Topics.TRIAGE_FAILURES, new ByteArrayDeserializer(),
                deserializer(DeadLetter.class, serdeConfig));
    }

    public static byte[] serialize(LesionImageEvent event, Map<String, ?> serdeConfig) {
        return serialize(event, serdeConfig, Topics.LESION_IMAGES);
    }

    /** Registered under the topic's subject, as a clinic's serializer would. */
    public static byte[] serialize(LesionImageEvent event, Map<String, ?> serdeConfig, String topic) {
        return SERIALIZERS.computeIfAbsent(Map.copyOf(serdeConfig), config -> {
            SpecificAvroSerializer<LesionImageEvent> serializer = new SpecificAvroSerializer<>();
            serializer.configure(config, false);
            return serializer;
        }).serialize(topic, event);
    }

    /** One serializer (and registry client, with its connections) per registry, not one per event. */
    private static final Map<Map<String, ?>, SpecificAvroSerializer<LesionImageEvent>> SERIALIZERS =
            new ConcurrentHashMap<>();

    public static <T extends org.apache.avro.specific.SpecificRecord> SpecificAvroDeserializer<T> deserializer(
            Class<T> type, Map<String, ?> serdeConfig) {
        SpecificAvroDeserializer<T> deserializer = new SpecificAvroDeserializer<>(type);
        deserializer.configure(serdeConfig, false);
        return deserializer;
    }
}
