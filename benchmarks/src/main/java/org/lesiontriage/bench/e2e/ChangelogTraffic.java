package org.lesiontriage.bench.e2e;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lesiontriage.triage.topology.TriageTopologyFactory;

/**
 * What the pending-images store wrote to its changelog during a scenario: images still waiting for their batch
 * at a commit are written (and later deleted), answered ones never reach it. Read uncommitted, so writes of
 * aborted transactions count too: the broker stored them all the same.
 */
final class ChangelogTraffic {

    private ChangelogTraffic() {
    }

    static Map<String, Object> of(String bootstrapServers, String applicationId, int events) {
        String topic = applicationId + "-" + TriageTopologyFactory.PENDING_STORE + "-changelog";
        long puts = 0;
        long tombstones = 0;
        long putBytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-changelog-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return Map.of("topic", topic, "records", 0);
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline
                    && assigned.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        tombstones++;
                    } else {
                        puts++;
                        putBytes += record.value().length;
                    }
                }
            }
        }
        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("topic", topic);
        traffic.put("images_written", puts);
        traffic.put("tombstones", tombstones);
        traffic.put("bytes_written", putBytes);
        traffic.put("images_written_per_event", events == 0 ? 0.0 : puts / (double) events);
        traffic.put("bytes_written_per_event", events == 0 ? 0.0 : putBytes / (double) events);
        return traffic;
    }
}
