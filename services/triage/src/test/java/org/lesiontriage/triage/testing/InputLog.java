package org.lesiontriage.triage.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.registry.RegistrySerdeException;

/** The image topic as written: every record's position and event id, to say which events a range holds. */
public final class InputLog {

    /** @param eventId null for a record that is not a readable image event (poison) */
    public record Entry(int partition, long offset, String eventId) {
    }

    private InputLog() {
    }

    public static List<Entry> read(String bootstrapServers, String topic, Map<String, ?> serdeConfig) {
        var events = TopologyHarness.deserializer(LesionImageEvent.class, serdeConfig);
        List<Entry> entries = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> entries.add(
                        new Entry(r.partition(), r.offset(), eventIdOrNull(events, topic, r.value()))));
            }
        }
        return entries;
    }

    private static String eventIdOrNull(org.lesiontriage.registry.SpecificAvroDeserializer<LesionImageEvent> events,
                                        String topic, byte[] value) {
        try {
            return events.deserialize(topic, value).getEventId().toString();
        } catch (RegistrySerdeException notAnEvent) {
            return null;
        }
    }
}
