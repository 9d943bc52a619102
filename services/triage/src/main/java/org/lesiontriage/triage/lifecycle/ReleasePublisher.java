package org.lesiontriage.triage.lifecycle;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.registry.SpecificAvroSerializer;

/** Writes release records to the models topic (key name:version); every instance prepares what it reads there. */
public final class ReleasePublisher {

    private final Map<String, Object> kafkaClient;
    private final Map<String, ?> serdeConfig;

    public ReleasePublisher(Map<String, Object> kafkaClient, Map<String, ?> serdeConfig) {
        this.kafkaClient = kafkaClient;
        this.serdeConfig = serdeConfig;
    }

    public void publish(ModelRelease release) throws Exception {
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_DERIVED_RECORD_BYTES);
        var values = new SpecificAvroSerializer<ModelRelease>();
        values.configure(serdeConfig, false);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
            producer.send(new ProducerRecord<>(Topics.MODELS, ModelKey.of(release).toString(), release)).get();
        }
    }

    /** The same release once more, so that instances that retired or missed it prepare it again. */
    void publishAgain(ModelRelease release) throws Exception {
        ModelRelease again = ModelRelease.newBuilder(release).setPublishedAt(Instant.now()).build();
        publish(again);
    }
}
