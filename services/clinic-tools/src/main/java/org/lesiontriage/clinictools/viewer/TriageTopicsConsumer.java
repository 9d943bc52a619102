package org.lesiontriage.clinictools.viewer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.RegistrySerdeException;
import org.lesiontriage.registry.SpecificAvroDeserializer;

/**
 * Reads triage-results and triage-failures from the beginning. Values are deserialized here rather than by
 * the consumer, so one unreadable record is reported and skipped instead of stopping the viewer.
 */
final class TriageTopicsConsumer implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final SpecificAvroDeserializer<TriageResult> results = new SpecificAvroDeserializer<>(TriageResult.class);
    private final SpecificAvroDeserializer<DeadLetter> deadLetters = new SpecificAvroDeserializer<>(DeadLetter.class);
    private final String resultsTopic;
    private final String failuresTopic;

    TriageTopicsConsumer(ViewerOptions options) {
        this.resultsTopic = options.resultsTopic();
        this.failuresTopic = options.failuresTopic();
        Map<String, Object> serdeConfig = options.clientSettings().serdeConfig(options.registryUrl());
        results.configure(serdeConfig, false);
        deadLetters.configure(serdeConfig, false);
        this.consumer = new KafkaConsumer<>(consumerConfig(options), new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(resultsTopic, failuresTopic));
    }

    static Properties consumerConfig(ViewerOptions options) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        // The service writes exactly-once; an aborted transaction's records must not be counted.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        boolean named = options.group() != null;
        props.put(ConsumerConfig.GROUP_ID_CONFIG, named ? options.group() : "triage-viewer-" + UUID.randomUUID());
        // A throw-away group has nothing worth committing; a named one resumes where it stopped.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, named);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES);
        return options.clientSettings().applyTo(props);
    }

    List<TriageRecord> poll(Duration timeout) {
        List<TriageRecord> records = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            records.add(decode(record));
        }
        return records;
    }

    private TriageRecord decode(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(resultsTopic)) {
                TriageResult result = results.deserialize(record.topic(), record.value());
                return result == null ? new TriageRecord.Unreadable(record.topic(), "tombstone")
                        : new TriageRecord.Scored(result);
            }
            DeadLetter deadLetter = deadLetters.deserialize(record.topic(), record.value());
            return deadLetter == null ? new TriageRecord.Unreadable(record.topic(), "tombstone")
                    : new TriageRecord.Failed(deadLetter);
        } catch (RegistrySerdeException e) {
            return new TriageRecord.Unreadable(record.topic(), e.reasonCode() + ": " + e.getMessage());
        }
    }

    /** Makes a blocked poll return at once, from another thread (Ctrl-C). */
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
