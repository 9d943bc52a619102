package org.lesiontriage.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.SpecificAvroDeserializer;
import org.lesiontriage.triage.topology.TriageTopics;

/**
 * Reads results and dead letters as a dashboard would (read_committed: only what the service's transactions
 * committed) and notes, per result, the time from the input record's timestamp (the result keeps it) to now.
 */
final class ResultCollector implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SpecificAvroDeserializer<TriageResult> results;
    private final TriageTopics topics;
    private final List<Double> latenciesMs = new ArrayList<>();
    private final Map<Integer, Integer> imagesByBatchSize = new TreeMap<>();
    private final List<Double> inferenceMsPerImage = new ArrayList<>();
    /** Where each result's latency went: sent to read by the service, read to scored, scored to visible here. */
    private final Map<String, List<Double>> latencyPartsMs = Map.of(
            "sent_to_read", new ArrayList<>(), "read_to_scored", new ArrayList<>(), "scored_to_visible", new ArrayList<>());
    private int deadLetters;
    private long lastSeenMs;

    ResultCollector(String bootstrapServers, TriageTopics topics, Map<String, ?> serdeConfig) {
        this.topics = topics;
        this.consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.results = new SpecificAvroDeserializer<>(TriageResult.class);
        results.configure(serdeConfig, false);
        consumer.subscribe(List.of(topics.results(), topics.failures()));
    }

    /** Polls until the consumer has its partitions, so that no result waits for a group join to be seen. */
    void awaitAssignment(Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (consumer.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(20));
        }
        if (consumer.assignment().isEmpty()) {
            throw new IllegalStateException("The result reader got no partitions in " + timeout);
        }
    }

    /** Polls until {@code expected} outcomes (results + dead letters) arrived or the timeout passed. */
    boolean await(int expected, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (outcomes() < expected && System.currentTimeMillis() < deadline) {
            var polled = consumer.poll(Duration.ofMillis(5));
            long now = System.currentTimeMillis();
            for (ConsumerRecord<byte[], byte[]> record : polled) {
                lastSeenMs = now;
                if (record.topic().equals(topics.failures())) {
                    deadLetters++;
                    continue;
                }
                TriageResult result = results.deserialize(record.topic(), record.value());
                latenciesMs.add((double) (now - record.timestamp()));
                long read = result.getReceivedAt().toEpochMilli();
                long scored = result.getScoredAt().toEpochMilli();
                latencyPartsMs.get("sent_to_read").add((double) (read - record.timestamp()));
                latencyPartsMs.get("read_to_scored").add((double) (scored - read));
                latencyPartsMs.get("scored_to_visible").add((double) (now - scored));
                imagesByBatchSize.merge(result.getBatchSize(), 1, Integer::sum);
                inferenceMsPerImage.add(result.getInferenceTimeMs() / result.getBatchSize());
            }
        }
        return outcomes() >= expected;
    }

    int outcomes() {
        return latenciesMs.size() + deadLetters;
    }

    List<Double> latenciesMs() {
        return latenciesMs;
    }

    Map<String, List<Double>> latencyPartsMs() {
        return latencyPartsMs;
    }

    Map<Integer, Integer> imagesByBatchSize() {
        return imagesByBatchSize;
    }

    List<Double> inferenceMsPerImage() {
        return inferenceMsPerImage;
    }

    int deadLetters() {
        return deadLetters;
    }

    long lastSeenMs() {
        return lastSeenMs;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
