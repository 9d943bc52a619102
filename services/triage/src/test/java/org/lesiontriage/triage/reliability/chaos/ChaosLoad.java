package org.lesiontriage.triage.reliability.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lesiontriage.testfixtures.SyntheticLesions;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TopologyHarness;

/**
 * The clinic side of a chaos or soak run: an idempotent producer ({@code acks=all}, long delivery timeout, so that
 * a send retried across a broker restart is written once) publishing synthetic lesions and, at a given share,
 * {@link ChaosPoison}; and the ledger of what the broker acknowledged, by event and by partition and offset.
 */
final class ChaosLoad implements AutoCloseable {

    /** An acknowledged input: the id a result carries, where it was written, and the reason it must be refused for
     * (null for a good image). */
    record Sent(String id, String position, ReasonCode expected, String kind) {
    }

    static final String GOOD = "good image";

    private final KafkaProducer<byte[], byte[]> producer;
    private final List<byte[]> images = new ArrayList<>();
    private final ChaosPoison poison;
    private final Map<String, Object> serdeConfig;
    private final Random random;
    private final Map<String, Sent> acked = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger sendFailures = new AtomicInteger();

    ChaosLoad(String bootstrap, Map<String, Object> serdeConfig, int imagePx, long seed) {
        this.serdeConfig = serdeConfig;
        this.random = new Random(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < 24; i++) {
            images.add(SyntheticLesions.jpeg(imagePx, imagePx, seed + i));
        }
        this.poison = new ChaosPoison(imagePx, seed, serdeConfig);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Publishes at least {@code count} events at {@code rate} per second (0: as fast as the producer takes them),
     * and goes on while {@code more} says so; returns how many it published.
     */
    int publish(int count, double rate, double poisonShare, BooleanSupplier more) throws InterruptedException {
        long intervalNanos = rate > 0 ? (long) (1e9 / rate) : 0;
        long next = System.nanoTime();
        int i = 0;
        for (; i < count || more.getAsBoolean(); i++) {
            send(random.nextDouble() < poisonShare);
            if (intervalNanos > 0) {
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }
        producer.flush();
        return i;
    }

    private void send(boolean isPoison) {
        String id;
        byte[] value;
        ReasonCode expected = null;
        String kind = GOOD;
        if (isPoison) {
            ChaosPoison.Record record = poison.next();
            id = record.eventId() != null ? record.eventId() : "unreadable-" + UUID.randomUUID();
            value = record.value();
            expected = record.expected();
            kind = record.kind();
        } else {
            LesionImageEvent event = LesionEvents.builder(images.get(sent.get() % images.size()), "image/jpeg").build();
            id = event.getEventId().toString();
            value = TopologyHarness.serialize(event, serdeConfig);
        }
        ReasonCode reason = expected;
        String sentKind = kind;
        byte[] key = ("case-" + id.substring(id.length() - 8)).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(Topics.LESION_IMAGES, key, value), (metadata, error) -> {
            if (error == null) {
                acked.put(id, new Sent(id, position(metadata.partition(), metadata.offset()), reason, sentKind));
            } else {
                sendFailures.incrementAndGet();
            }
        });
        sent.incrementAndGet();
    }

    /** How a dead letter names its input: the partition and offset it was read from. */
    static String position(int partition, long offset) {
        return partition + ":" + offset;
    }

    Map<String, Sent> acked() {
        return acked;
    }

    int sent() {
        return sent.get();
    }

    int sendFailures() {
        return sendFailures.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
