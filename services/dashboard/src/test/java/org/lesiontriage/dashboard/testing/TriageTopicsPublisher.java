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
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.SpecificAvroSerde;

/**
 * Publishes what a clinic and the triage service would: an image on lesion-images and its TriageResult on
 * triage-results with the same key and record timestamp (the service copies both), a shadow version's result of
 * the same event on triage-shadow-results, and rollouts on triage-rollouts, through the project's serde.
 */
public final class TriageTopicsPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<LesionImageEvent> images;
    private final Serializer<TriageResult> results;
    private final Serializer<DeadLetter> deadLetters;
    private final Serializer<ModelRollout> rollouts;

    TriageTopicsPublisher(String bootstrapServers, Map<String, Object> serdeConfig) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES),
                new StringSerializer(), new ByteArraySerializer());
        this.images = SpecificAvroSerde.configured(LesionImageEvent.class, serdeConfig, false).serializer();
        this.results = SpecificAvroSerde.configured(TriageResult.class, serdeConfig, false).serializer();
        this.deadLetters = SpecificAvroSerde.configured(DeadLetter.class, serdeConfig, false).serializer();
        this.rollouts = SpecificAvroSerde.configured(ModelRollout.class, serdeConfig, false).serializer();
    }

    /** An image and its result; returns the event id. */
    public String triaged(String caseRef, String clinic, double pMelanoma) {
        return triaged(caseRef, clinic, pMelanoma, "2.0.0");
    }

    /** An image and its result, scored by version {@code modelVersion} of triagenet. */
    public String triaged(String caseRef, String clinic, double pMelanoma, String modelVersion) {
        UUID eventId = UUID.randomUUID();
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        image(eventId, caseRef, clinic, now);
        result(Topics.TRIAGE_RESULTS, eventId, caseRef, clinic, pMelanoma, modelVersion, now);
        return eventId.toString();
    }

    /**
     * An image received at {@code receivedAt}, its live result by {@code liveVersion} and its shadow result by
     * {@code shadowVersion} (the same event, key and record timestamp); returns the event id.
     */
    public String triagedInShadow(String caseRef, String clinic, Instant receivedAt, double pLive, String liveVersion,
                                  double pShadow, String shadowVersion) {
        UUID eventId = UUID.randomUUID();
        image(eventId, caseRef, clinic, receivedAt);
        result(Topics.TRIAGE_RESULTS, eventId, caseRef, clinic, pLive, liveVersion, receivedAt);
        result(Topics.SHADOW_RESULTS, eventId, caseRef, clinic, pShadow, shadowVersion, receivedAt);
        return eventId.toString();
    }

    /** A rollout record, keyed by its id (what bin/models writes besides its markers). */
    public void rollout(ModelRollout rollout) {
        send(Topics.ROLLOUTS, rollout.getRolloutId(), System.currentTimeMillis(),
                rollouts.serialize(Topics.ROLLOUTS, rollout));
    }

    private void result(String topic, UUID eventId, String caseRef, String clinic, double pMelanoma,
                        String modelVersion, Instant receivedAt) {
        TriageResult result = Results.result(eventId, caseRef, clinic, pMelanoma, receivedAt);
        result.getModel().setVersion(modelVersion);
        send(topic, caseRef, receivedAt.toEpochMilli(), results.serialize(topic, result));
    }

    private void image(UUID eventId, String caseRef, String clinic, Instant now) {
        long timestamp = now.toEpochMilli();
        LesionImageEvent image = LesionImageEvent.newBuilder()
                .setEventId(eventId).setClinicId(clinic).setCaseRef(caseRef).setCapturedAt(now)
                .setMediaType("image/jpeg")
                // Set, not defaulted: Avro would build the default through the thread's class loader, which in a
                // @QuarkusTest is not the one that loaded this class.
                .setModality(Modality.DERMOSCOPIC).setBodySite(null).setDevice(null).setSchemaVersion(1)
                .setImage(ByteBuffer.wrap(SyntheticLesions.jpeg(320, 240, caseRef.hashCode())))
                .build();
        send(Topics.LESION_IMAGES, caseRef, timestamp, images.serialize(Topics.LESION_IMAGES, image));
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
