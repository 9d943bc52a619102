package org.lesiontriage.dashboard.reviews;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lesiontriage.contracts.CaseReview;
import org.lesiontriage.contracts.ReviewAction;
import org.lesiontriage.dashboard.config.DashboardConfig;
import org.lesiontriage.dashboard.config.KafkaClients;
import org.lesiontriage.dashboard.queue.QueueEntry;
import org.lesiontriage.dashboard.queue.ReviewMark;
import org.lesiontriage.dashboard.queue.WorkingSet;
import org.lesiontriage.registry.SpecificAvroSerde;

/**
 * Writes a clinician's review to triage-reviews, keyed by case reference, and applies it here once the broker has
 * it; every instance (this one too) also reads it back from the topic, which is the one truth.
 */
@ApplicationScoped
public class ReviewPublisher {

    private static final long SEND_TIMEOUT_S = 10;

    private final KafkaProducer<String, CaseReview> producer;
    private final String topic;
    private final WorkingSet workingSet;

    @Inject
    public ReviewPublisher(KafkaClients clients, DashboardConfig config, WorkingSet workingSet) {
        Map<String, Object> props = clients.client();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(props, new StringSerializer(),
                SpecificAvroSerde.configured(CaseReview.class, clients.serde(), false).serializer());
        this.topic = config.topics().reviews();
        this.workingSet = workingSet;
    }

    /** Marks the entry's case reviewed (or reopened) through the entry's receipt time, as {@code reviewer}. */
    public ReviewMark publish(QueueEntry entry, ReviewAction action, String reviewer) {
        CaseReview review = CaseReview.newBuilder()
                .setCaseRef(entry.caseRef())
                .setClinicId(entry.clinicId())
                .setEventId(UUID.fromString(entry.eventId()))
                .setAction(action)
                .setReviewedThrough(Instant.ofEpochMilli(entry.receivedAtMs()))
                .setReviewer(reviewer)
                .setReviewedAt(Instant.now())
                .build();
        try {
            producer.send(new ProducerRecord<>(topic, entry.caseRef(), review)).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The review was not written to " + topic + ": "
                    + (e.getCause() != null ? e.getCause().getClass().getSimpleName() : "timeout"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing the review", e);
        }
        ReviewMark mark = ReviewMark.of(review);
        workingSet.apply(mark);
        return mark;
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
