package org.lesiontriage.bench.e2e;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lesiontriage.triage.lifecycle.ModelKey;

/**
 * What a scenario's shadow model produced: the records on its shadow topic, read as a dashboard would
 * (read_committed: what the service's transactions committed), and the service's own counters,
 * {@code triage.shadow.results} and {@code triage.shadow.skipped} by reason (lag, not_ready, failed). Read after the
 * scenario's CPU was, so counting costs the scenario nothing.
 */
final class ShadowResults {

    private ShadowResults() {
    }

    static Map<String, Object> of(String bootstrapServers, String topic, ModelKey shadow, String modelDir,
                                  MeterRegistry meters, int events) {
        long onTopic = committedRecords(bootstrapServers, topic);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", shadow.toString());
        row.put("model_dir", modelDir);
        row.put("topic", topic);
        row.put("results_on_topic", onTopic);
        row.put("results_per_event", events == 0 ? 0.0 : onTopic / (double) events);
        row.put("results_counted", (long) meters.find("triage.shadow.results").counters().stream()
                .mapToDouble(Counter::count).sum());
        Map<String, Long> skipped = new TreeMap<>();
        for (Counter counter : meters.find("triage.shadow.skipped").counters()) {
            skipped.merge(counter.getId().getTag("reason"), (long) counter.count(), Long::sum);
        }
        row.put("skipped", skipped);
        return row;
    }

    /** Committed records on {@code topic}, all partitions, from the beginning to the last stable offset. */
    static long committedRecords(String bootstrapServers, String topic) {
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-shadow-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return 0;
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned); // read_committed: the last stable offsets
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline
                    && assigned.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                records += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return records;
    }
}
