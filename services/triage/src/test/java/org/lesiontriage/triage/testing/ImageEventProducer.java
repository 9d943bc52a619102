package org.lesiontriage.triage.testing;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
        this.serdeConfig = serdeConfig;
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void send(LesionImageEvent event) {
        sendRaw(event.getCaseRef(), TopologyHarness.serialize(event, serdeConfig, topic));
    }

    public void sendRaw(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
    }
}
