package org.lesiontriage.clinictools.simulator;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Modality;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.registry.SpecificAvroSerde;

/**
 * Publishes lesion images to the triage service the way a clinic integration should: one
 * {@link LesionImageEvent} per image on {@code lesion-images}, keyed by the pseudonymous case reference so a
 * lesion's images stay in order, Avro in the Confluent wire format via the project's serde.
 *
 * <p>This class is the reference for integrators; everything else in the simulator is scaffolding
 * (reading folders, progress, the labels file).
 */
public final class LesionEventPublisher implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, LesionImageEvent> producer;

    public LesionEventPublisher(String bootstrapServers, String registryUrl, String topic) {
        this(producerConfig(bootstrapServers), Map.of("schema.registry.url", registryUrl), topic);
    }

    /**
     * @param producerConfig Kafka producer settings, e.g. {@link #producerConfig(String)} plus TLS/SASL
     * @param serdeConfig    registry settings: {@code schema.registry.url}, {@code basic.auth.user.info}, ...
     */
    public LesionEventPublisher(Properties producerConfig, Map<String, ?> serdeConfig, String topic) {
        this.topic = topic;
        Serializer<LesionImageEvent> valueSerializer =
                SpecificAvroSerde.configured(LesionImageEvent.class, serdeConfig, false).serializer();
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), valueSerializer);
    }

    /**
     * Producer settings for medical images: nothing may be lost or duplicated, and records are large.
     */
    public static Properties producerConfig(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Acknowledged only once every in-sync replica has the image; idempotence means a retry after a lost
        // acknowledgement cannot publish the same image twice.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // JPEGs barely compress, but the Avro envelope and PNGs do, and lz4 costs almost no CPU.
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES);
        // A few ms of batching when a clinic uploads a whole examination at once.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Fail a send after 30 s without broker metadata instead of the default minute.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return props;
    }

    /**
     * Builds the event for one captured image. The case reference must be pseudonymous: the clinic's own
     * lesion or case number, never a patient name, id or file path.
     */
    public static LesionImageEvent newEvent(String clinicId, String caseRef, Instant capturedAt, byte[] image,
            String device) {
        return LesionImageEvent.newBuilder()
                .setEventId(UUID.randomUUID()) // results and dead letters refer back to this id
                .setClinicId(clinicId)
                .setCaseRef(caseRef)
                .setCapturedAt(capturedAt)
                .setMediaType(MediaTypes.sniff(image)) // from the bytes; the service decodes by this type
                .setImage(ByteBuffer.wrap(image))
                .setModality(Modality.DERMOSCOPIC) // the model is trained on dermoscopic images only
                .setDevice(device)
                .build();
    }

    /**
     * Sends asynchronously; {@code callback} learns whether the broker stored the event. Throws at once when
     * the event cannot be serialized (registry unreachable, credentials wrong) or Kafka is unreachable for
     * longer than max.block.ms.
     */
    public Future<RecordMetadata> publish(LesionImageEvent event, Callback callback) {
        return producer.send(new ProducerRecord<>(topic, event.getCaseRef(), event), callback);
    }

    /** Waits until every event sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
