package org.lesiontriage.triage.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import org.lesiontriage.registry.SpecificAvroDeserializer;

/**
 * Reads a small lifecycle topic from its beginning and then follows it, on a thread of its own, handing each record
 * to a listener in offset order (read_committed: a rollout is seen only once its markers are committed too). No
 * consumer group: every instance reads everything. {@link #awaitCaughtUp} returns once everything committed before
 * the call has been handed over, which is how a reader knows it has not missed a rollout or a release.
 */
final class TopicFollower<V extends SpecificRecord> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final SpecificAvroDeserializer<V> values;
    private final BiConsumer<String, V> listener;
    private final Thread thread;
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> syncRequests = new ConcurrentLinkedQueue<>();
    private final List<Sync> syncs = new ArrayList<>();
    private volatile boolean closed;

    private record Sync(Map<TopicPartition, Long> endOffsets, CompletableFuture<Void> done) {
    }

    TopicFollower(String topic, Class<V> type, Map<String, Object> kafkaClient, Map<String, ?> serdeConfig,
                  BiConsumer<String, V> listener) {
        this.topic = topic;
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 << 20); // releases carry ONNX bytes
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "lifecycle-" + topic + "-" + System.identityHashCode(this));
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.values = new SpecificAvroDeserializer<>(type);
        this.values.configure(serdeConfig, false);
        this.listener = listener;
        this.thread = DaemonThreads.named("triage-follow-" + topic).newThread(this::follow);
    }

    void start() {
        thread.start();
    }

    /** Returns once every record committed to the topic before this call has reached the listener. */
    void awaitCaughtUp(Duration timeout) throws TimeoutException, InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        syncRequests.add(done);
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Reading " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("Not caught up with " + topic + " within " + timeout.toMillis() + " ms");
        }
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!closed) {
                for (CompletableFuture<Void> request; (request = syncRequests.poll()) != null; ) {
                    syncs.add(new Sync(consumer.endOffsets(partitions), request));
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    deliver(record);
                }
                completeSyncs();
            }
        } catch (WakeupException closing) {
            // close() interrupts the poll
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.errorf("Following %s stopped: %s", topic, e.getMessage());
                syncRequests.forEach(request -> request.completeExceptionally(e));
                syncs.forEach(sync -> sync.done().completeExceptionally(e));
            }
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** The topic's partitions; a topic created moments ago may take a few metadata rounds to appear. */
    private List<TopicPartition> partitions() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!closed) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new WakeupException();
    }

    private void deliver(ConsumerRecord<String, byte[]> record) {
        V value = null;
        if (record.value() != null) {
            try {
                value = values.deserialize(record.topic(), record.headers(), record.value());
            } catch (RuntimeException unreadable) {
                // One bad record on a lifecycle topic must not stop the instance: it is skipped, and says so.
                LOG.errorf("Skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(),
                        record.offset(), unreadable.getMessage());
                return;
            }
        }
        try {
            listener.accept(record.key(), value);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Handling %s-%d@%d failed", record.topic(), record.partition(), record.offset());
        }
    }

    private void completeSyncs() {
        syncs.removeIf(sync -> {
            for (Map.Entry<TopicPartition, Long> end : sync.endOffsets().entrySet()) {
                if (consumer.position(end.getKey()) < end.getValue()) {
                    return false;
                }
            }
            sync.done().complete(null);
            return true;
        });
    }

    @Override
    public void close() {
        closed = true;
        if (!thread.isAlive()) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
