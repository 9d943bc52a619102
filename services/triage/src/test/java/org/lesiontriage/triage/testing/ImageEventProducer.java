package org.lesiontriage.triage.testing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;

/** Publishes events (or raw bytes, for poison) to the image topic, as a clinic integration would. */
public final class ImageEventProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, ?> serdeConfig;
    private final String topic;

    public ImageEventProducer(String bootstrapServers, Map<String, ?> serdeConfig) {
        this(bootstrapServers, serdeConfig, Topics.LESION_IMAGES);
    }

    public ImageEventProducer(String bootstrapServers, Map<String, ?> serdeConfig, String topic) {
        this(bootstrapServers, serdeConfig, topic, Map.of());
    }

    /**
     * @param clientConfig further Kafka client settings on top of the defaults (security: {@code security.protocol},
     *                     {@code sasl.*}, {@code ssl.*}), as a deployment's client properties file holds them
     */
    public ImageEventProducer(String bootstrapServers, Map<String, ?> serdeConfig, String topic,
                              Map<String, ?> clientConfig) {
        this.serdeConfig = serdeConfig;
        this.topic = topic;
        Map<String, Object> config = new HashMap<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES));
        config.putAll(clientConfig);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Serializes at once (a registry failure is thrown here) and sends; the future says whether the broker
     * stored the event.
     */
    public Future<RecordMetadata> send(LesionImageEvent event) {
        return sendRaw(event.getCaseRef(), TopologyHarness.serialize(event, serdeConfig, topic));
    }

    /** Sends with the record timestamp given (e.g. an hour ago: a backlog, as the service sees it). */
    public Future<RecordMetadata> send(LesionImageEvent event, long timestampMs) {
        return producer.send(new ProducerRecord<>(topic, null, timestampMs,
                event.getCaseRef().getBytes(StandardCharsets.UTF_8), TopologyHarness.serialize(event, serdeConfig, topic)));
    }

    public Future<RecordMetadata> sendRaw(String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
    }
}
