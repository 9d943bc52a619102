package org.lesiontriage.dashboard.testing;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lesiontriage.testfixtures.SyntheticLesions;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Modality;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.SpecificAvroSerde;

/**
 * Publishes what a clinic and the triage service would: an image on lesion-images and its TriageResult on
 * triage-results with the same key and record timestamp (the service copies both), through the project's serde.
 */
public final class TriageTopicsPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<LesionImageEvent> images;
    private final Serializer<TriageResult> results;
    private final Serializer<DeadLetter> deadLetters;

    TriageTopicsPublisher(String bootstrapServers, Map<String, Object> serdeConfig) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES),
                new StringSerializer(), new ByteArraySerializer());
        this.images = SpecificAvroSerde.configured(LesionImageEvent.class, serdeConfig, false).serializer();
        this.results = SpecificAvroSerde.configured(TriageResult.class, serdeConfig, false).serializer();
        this.deadLetters = SpecificAvroSerde.configured(DeadLetter.class, serdeConfig, false).serializer();
    }

    /** An image and its result; returns the event id. */
    public String triaged(String caseRef, String clinic, double pMelanoma) {
        return triaged(caseRef, clinic, pMelanoma, "2.0.0");
    }

    /** An image and its result, scored by version {@code modelVersion} of triagenet. */
    public String triaged(String caseRef, String clinic, double pMelanoma, String modelVersion) {
        UUID eventId = UUID.randomUUID();
        long timestamp = System.currentTimeMillis();
        Instant now = Instant.ofEpochMilli(timestamp);
        LesionImageEvent image = LesionImageEvent.newBuilder()
                .setEventId(eventId).setClinicId(clinic).setCaseRef(caseRef).setCapturedAt(now)
                .setMediaType("image/jpeg")
                // Set, not defaulted: Avro would build the default through the thread's class loader, which in a
                // @QuarkusTest is not the one that loaded this class.
                .setModality(Modality.DERMOSCOPIC).setBodySite(null).setDevice(null).setSchemaVersion(1)
                .setImage(ByteBuffer.wrap(SyntheticLesions.jpeg(320, 240, caseRef.hashCode())))
                .build();
        send(Topics.LESION_IMAGES, caseRef, timestamp, images.serialize(Topics.LESION_IMAGES, image));
        TriageResult result = Results.result(eventId, caseRef, clinic, pMelanoma, now);
        result.getModel().setVersion(modelVersion);
        send(Topics.TRIAGE_RESULTS, caseRef, timestamp, results.serialize(Topics.TRIAGE_RESULTS, result));
        return eventId.toString();
    }

    public void deadLetter(String caseRef, String reason, long offset) {
        DeadLetter letter = DeadLetter.newBuilder().setReasonCode(reason).setMessage("the image does not decode")
                .setSourceTopic(Topics.LESION_IMAGES).setSourcePartition(0).setSourceOffset(offset)
                .setEventId(UUID.randomUUID().toString())
                .setOriginalKey(ByteBuffer.wrap(caseRef.getBytes())).setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setFailedAt(Instant.now()).build();
        send(Topics.TRIAGE_FAILURES, caseRef, System.currentTimeMillis(),
                deadLetters.serialize(Topics.TRIAGE_FAILURES, letter));
    }

    private void send(String topic, String key, long timestamp, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, null, timestamp, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Publishing to " + topic + " failed", e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
