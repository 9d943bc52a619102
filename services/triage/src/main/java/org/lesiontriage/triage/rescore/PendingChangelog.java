package org.lesiontriage.triage.rescore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.triage.topology.TriageTopologyFactory;

/**
 * The committed state of a job's pending-images store, read back from its changelog with read_committed: what a
 * restarted job would restore. A job is only complete when no image is left waiting there, which proves that the
 * commit of its last results went through (a close can end with that commit aborted).
 */
final class PendingChangelog {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private PendingChangelog() {
    }

    static String topic(String applicationId) {
        return applicationId + "-" + TriageTopologyFactory.PENDING_STORE + "-changelog";
    }

    /** Keys whose last committed value is an image, not a tombstone. */
    static int waitingImages(Map<String, Object> clientConfig, String applicationId) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES);
        String topic = topic(applicationId);
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, READ_TIMEOUT).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            Set<String> waiting = new HashSet<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end in " + READ_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = record.partition() + ":" + HexFormat.of().formatHex(record.key());
                    if (record.value() == null) {
                        waiting.remove(key);
                    } else {
                        waiting.add(key);
                    }
                }
            }
            return waiting.size();
        }
    }
}
