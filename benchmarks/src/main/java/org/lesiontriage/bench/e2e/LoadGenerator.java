package org.lesiontriage.bench.e2e;

import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lesiontriage.contracts.RecordLimits;

/**
 * Publishes pre-serialized events as a clinic integration would, at a fixed rate (open loop: the schedule does
 * not wait for the service, so queueing shows up as latency) or as fast as the producer goes (rate 0).
 * The record timestamp is the send time, which end-to-end latency is measured from.
 */
final class LoadGenerator implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    LoadGenerator(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    void publish(String topic, EventCorpus corpus, int count, double eventsPerSecond) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (eventsPerSecond > 0) {
                long due = start + (long) (i * 1e9 / eventsPerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            EventCorpus.Event event = corpus.get(i);
            producer.send(new ProducerRecord<>(topic, null, null, event.key(), event.value()));
        }
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
