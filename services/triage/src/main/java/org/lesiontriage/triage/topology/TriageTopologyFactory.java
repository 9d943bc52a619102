package org.lesiontriage.triage.topology;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.SpecificAvroSerializer;
import org.lesiontriage.triage.batching.BatchPolicy;

/**
 * The triage topology: image events in (raw bytes, so that bad ones can be dead-lettered intact), one processor
 * that batches and scores them, results and dead letters out.
 *
 * <pre>
 *   lesion-images --> [offset-window] --> triage (pending-images store) --+--> triage-results
 *                                                                       +--> triage-failures
 *                                                                       +--> triage-shadow-results (a shadow version's)
 * </pre>
 *
 * <p>The offset window exists only in a replay's topology, which triages a bounded range of the input.
 */
public final class TriageTopologyFactory {

    public static final String SOURCE = "lesion-images-source";
    public static final String WINDOW = "offset-window";
    public static final String PROCESSOR = "triage";
    public static final String RESULTS_SINK = "triage-results-sink";
    public static final String DEAD_LETTER_SINK = "triage-failures-sink";
    public static final String SHADOW_SINK = "triage-shadow-results-sink";
    public static final String PENDING_STORE = "pending-images";

    private TriageTopologyFactory() {
    }

    /**
     * @param topics      names of the input, results and dead-letter topics
     * @param serdeConfig schema registry settings for the Avro serializers of the outputs
     */
    public static Topology build(TriageTopics topics, TriageComponents components, Map<String, ?> serdeConfig) {
        return build(topics, components, serdeConfig, OffsetWindow.ALL);
    }

    /** The same topology, triaging only the input records inside {@code window}. */
    public static Topology build(TriageTopics topics, TriageComponents components, Map<String, ?> serdeConfig,
                                 OffsetWindow window) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.images());
        String triageParent = SOURCE;
        if (window != OffsetWindow.ALL) {
            topology.addProcessor(WINDOW, () -> new OffsetWindowFilter(window), SOURCE);
            triageParent = WINDOW;
        }
        topology.addProcessor(PROCESSOR, () -> new TriageProcessor(components), triageParent);
        // Caching: an image answered before the next commit is put and deleted in the cache only, so its bytes
        // never reach the changelog; images still waiting at a commit are flushed into the same transaction.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING_STORE),
                Serdes.Long(), SourceRecord.serde()).withCachingEnabled()
                // Waiting images are whole image records: the changelog must take them whatever the broker's
                // default (1 MiB on a stock broker). Applied when Kafka Streams creates the topic.
                .withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        String.valueOf(RecordLimits.MAX_DERIVED_RECORD_BYTES))), PROCESSOR);
        topology.addSink(RESULTS_SINK, topics.results(), new ByteArraySerializer(),
                configured(new SpecificAvroSerializer<TriageResult>(), serdeConfig), PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, topics.failures(), new ByteArraySerializer(),
                configured(new SpecificAvroSerializer<DeadLetter>(), serdeConfig), PROCESSOR);
        topology.addSink(SHADOW_SINK, topics.shadowResults(), new ByteArraySerializer(),
                configured(new SpecificAvroSerializer<TriageResult>(), serdeConfig), PROCESSOR);
        return topology;
    }

    /** How often the processor checks for a batch past its max delay: often enough to keep the delay honest. */
    static Duration punctuationInterval(BatchPolicy policy) {
        long millis = Math.max(1, Math.min(policy.maxDelay().toMillis() / 2, 50));
        return Duration.ofMillis(millis);
    }

    @SuppressWarnings("unchecked")
    private static <T> Serializer<Object> configured(Serializer<T> serializer, Map<String, ?> config) {
        serializer.configure(config, false);
        return (Serializer<Object>) serializer;
    }
}
