package org.lesiontriage.dashboard.images;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.dashboard.queue.QueueEntry;
import org.lesiontriage.registry.SpecificAvroDeserializer;

/**
 * Finds a result's image in lesion-images. A TriageResult carries no source offset, but its record has the input
 * record's key (the case reference) and timestamp: the key gives the partition (Kafka's default partitioner, which
 * keeps a case's images in one partition), the timestamp the first offset to look at, and the event id the record.
 * At most {@code maxScan} records are read per lookup. One lookup at a time (a consumer is single-threaded).
 */
public final class ImageLocator implements AutoCloseable {

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SpecificAvroDeserializer<LesionImageEvent> events = new SpecificAvroDeserializer<>(LesionImageEvent.class);
    private final String topic;
    private final int maxScan;
    private int partitions;

    public ImageLocator(Map<String, Object> clientConfig, Map<String, Object> serdeConfig, String topic, int maxScan) {
        Map<String, Object> props = new java.util.HashMap<>(clientConfig);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 8);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.events.configure(serdeConfig, false);
        this.topic = topic;
        this.maxScan = maxScan;
    }

    /** The encoded image of the entry's event, if it is still in the topic. */
    public synchronized Optional<byte[]> find(QueueEntry entry) {
        byte[] key = entry.caseRef().getBytes(StandardCharsets.UTF_8);
        TopicPartition partition = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions());
        consumer.assign(List.of(partition));
        OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(partition, entry.recordTimestampMs()),
                LOOKUP_TIMEOUT).get(partition);
        if (start == null) {
            return Optional.empty();
        }
        consumer.seek(partition, start.offset());
        int scanned = 0;
        long deadline = System.nanoTime() + LOOKUP_TIMEOUT.toNanos();
        while (scanned < maxScan && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (++scanned > maxScan) {
                    break;
                }
                if (record.timestamp() == entry.recordTimestampMs() && Arrays.equals(record.key(), key)
                        && record.value() != null) {
                    LesionImageEvent event = events.deserialize(topic, record.value());
                    if (event.getEventId().toString().equals(entry.eventId())) {
                        byte[] image = new byte[event.getImage().remaining()];
                        event.getImage().get(image);
                        return Optional.of(image);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private int partitions() {
        if (partitions == 0) {
            partitions = consumer.partitionsFor(topic, LOOKUP_TIMEOUT).size();
        }
        return partitions;
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
