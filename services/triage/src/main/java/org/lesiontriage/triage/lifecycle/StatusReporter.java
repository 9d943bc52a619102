package org.lesiontriage.triage.lifecycle;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.lesiontriage.contracts.ModelState;
import org.lesiontriage.contracts.ModelStatus;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.registry.SpecificAvroSerializer;

/** Writes what this instance knows of each release to the status topic (key: instance/name:version). */
public class StatusReporter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StatusReporter.class);

    private final String instance;
    private final String topic;
    private final KafkaProducer<String, ModelStatus> producer;

    public StatusReporter(String instance, Map<String, Object> kafkaClient, Map<String, ?> serdeConfig) {
        this(instance, Topics.MODEL_STATUS, kafkaClient, serdeConfig);
    }

    StatusReporter(String instance, String topic, Map<String, Object> kafkaClient, Map<String, ?> serdeConfig) {
        this.instance = instance;
        this.topic = topic;
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        var values = new SpecificAvroSerializer<ModelStatus>();
        values.configure(serdeConfig, false);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), values);
    }

    /** Logs what it would report and writes nothing (a replay is not an instance of the service). */
    public static StatusReporter logOnly(String instance) {
        return new StatusReporter(instance);
    }

    private StatusReporter(String instance) {
        this.instance = instance;
        this.topic = null;
        this.producer = null;
    }

    public String instance() {
        return instance;
    }

    /** Sends and waits, so that an activation that reads the topic next sees it. */
    public void report(ModelKey model, String sha256, ModelState state, String reason, long memoryBytes) {
        if (producer == null) {
            LOG.infof("Model %s: %s%s", model, state, reason == null ? "" : " (" + reason + ")");
            return;
        }
        ModelStatus status = new ModelStatus(instance, model.name(), model.version(), sha256, state, reason,
                memoryBytes, Instant.now());
        try {
            producer.send(new ProducerRecord<>(topic, key(instance, model), status)).get();
            LOG.infof("Model %s on %s: %s%s", model, instance, state, reason == null ? "" : " (" + reason + ")");
        } catch (Exception e) {
            // The status board is advisory: an activation that lacks this report refuses, which is safe.
            LOG.warnf("Reporting %s %s for %s failed: %s", model, state, instance, e.getMessage());
        }
    }

    static String key(String instance, ModelKey model) {
        return instance + "/" + model;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
