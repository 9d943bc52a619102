package org.lesiontriage.triage.failures;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The attempt ledger on a compacted topic of its own, {@code <application.id>-attempts} (one partition, keyed by
 * input topic and partition), written with acks=all and outside any transaction, read to its end whenever a task
 * starts. Every instance of the application shares it, so a partition that moves carries its history along.
 * Writes happen only when something fails and when a task starts, so the cost in normal running is nil.
 */
public final class KafkaAttemptLedger implements AttemptLedger {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String ledgerTopic;
    private final TopicPartition ledgerPartition;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Object> kafkaClientConfig;
    private final Map<String, PartitionAttempts> known = new HashMap<>();
    private boolean positioned;

    public KafkaAttemptLedger(Map<String, Object> kafkaClientConfig, String ledgerTopic) {
        this.ledgerTopic = ledgerTopic;
        this.ledgerPartition = new TopicPartition(ledgerTopic, 0);
        Map<String, Object> producerConfig = new HashMap<>(kafkaClientConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        Map<String, Object> consumerConfig = new HashMap<>(kafkaClientConfig);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        this.kafkaClientConfig = Map.copyOf(kafkaClientConfig);
    }

    /** The ledger topic's name for an application id: under its prefix, like Kafka Streams' internal topics. */
    public static String topicFor(String applicationId) {
        return applicationId + "-attempts";
    }

    @Override
    public synchronized PartitionAttempts load(String topic, int partition) {
        catchUp();
        return known.getOrDefault(AttemptLedger.key(topic, partition), PartitionAttempts.NONE);
    }

    @Override
    public synchronized void save(String topic, int partition, PartitionAttempts attempts) {
        ensureTopic();
        try {
            producer.send(new ProducerRecord<>(ledgerTopic, 0, AttemptLedger.key(topic, partition), attempts.encode()))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not write the attempt ledger " + ledgerTopic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted writing the attempt ledger", e);
        }
        known.put(AttemptLedger.key(topic, partition), attempts);
    }

    /** Reads what was written since the last read, by this instance or another. */
    private void catchUp() {
        ensureTopic();
        long end = consumer.endOffsets(List.of(ledgerPartition), TIMEOUT).get(ledgerPartition);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (consumer.position(ledgerPartition, TIMEOUT) < end) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("Timed out reading the attempt ledger " + ledgerTopic);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                known.put(record.key(), PartitionAttempts.decode(record.value()));
            }
        }
    }

    private void ensureTopic() {
        if (positioned) {
            return;
        }
        try (Admin admin = Admin.create(kafkaClientConfig)) {
            NewTopic topic = new NewTopic(ledgerTopic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("Could not create the attempt ledger topic " + ledgerTopic, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new KafkaException("Timed out creating the attempt ledger topic " + ledgerTopic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted creating the attempt ledger topic", e);
        }
        consumer.assign(List.of(ledgerPartition));
        consumer.seekToBeginning(List.of(ledgerPartition));
        positioned = true;
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
