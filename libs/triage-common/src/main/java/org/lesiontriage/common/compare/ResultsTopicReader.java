package org.lesiontriage.common.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.SpecificAvroDeserializer;

/**
 * Reads a results topic from its beginning to its end as of the call (read_committed, no consumer group): a
 * snapshot of the results a dashboard would show now.
 */
public final class ResultsTopicReader {

    private final Properties clientConfig;
    private final Map<String, ?> serdeConfig;

    /**
     * @param clientConfig bootstrap servers and any further Kafka client settings (security)
     */
    public ResultsTopicReader(Properties clientConfig, Map<String, ?> serdeConfig) {
        this.clientConfig = clientConfig;
        this.serdeConfig = serdeConfig;
    }

    /** The topic's results by event id; an event answered twice keeps its last result and is counted. */
    public Snapshot read(String topic, Duration timeout) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES);
        SpecificAvroDeserializer<TriageResult> results = new SpecificAvroDeserializer<>(TriageResult.class);
        results.configure(serdeConfig, false);
        Map<String, ScoredEvent> byId = new LinkedHashMap<>();
        int duplicates = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, timeout));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TriageResult result = results.deserialize(topic, record.value());
                    ScoredEvent scored = new ScoredEvent(result.getEventId().toString(), result.getMelanomaProbability(),
                            result.getPriority() == TriagePriority.URGENT, describe(result), result.getClinicId(),
                            result.getReceivedAt().toEpochMilli());
                    if (byId.put(scored.eventId(), scored) != null) {
                        duplicates++;
                    }
                }
            }
        }
        return new Snapshot(topic, byId, duplicates);
    }

    private static String describe(TriageResult result) {
        return String.format(Locale.ROOT, "%s %s (threshold %.4f)", result.getModel().getName(),
                result.getModel().getVersion(), result.getThreshold());
    }

    /** @param duplicates results beyond the first for an event: 0 from an exactly-once writer */
    public record Snapshot(String topic, Map<String, ScoredEvent> byEventId, int duplicates) {
    }
}
