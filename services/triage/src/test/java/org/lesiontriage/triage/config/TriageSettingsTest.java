package org.lesiontriage.triage.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.DefaultAddresses;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import org.lesiontriage.triage.testing.TestModel;

/** Outside Quarkus the pipeline is assembled from the service's own application.properties and environment. */
@Tag("unit")
class TriageSettingsTest {

    private static final Path SERVED_PROPERTIES = TestModel.projectRoot()
            .resolve("services/triage/src/main/resources/application.properties");

    /** The service's own application.properties, as written (not through a config source). */
    static Properties servedProperties() throws IOException {
        Properties served = new Properties();
        try (Reader in = Files.newBufferedReader(SERVED_PROPERTIES)) {
            served.load(in);
        }
        return served;
    }

    @Test
    void streamsRunWithTheServicesKafkaStreamsSettings() throws Exception {
        Properties served = servedProperties();
        PipelineAssembly pipeline = new PipelineAssembly(TriageSettings.load(
                Map.of("quarkus.kafka-streams.bootstrap-servers", "broker:9092"), Map.of()));
        Properties streams = pipeline.streamsProperties("app", Path.of("state"));

        for (String key : new String[] {"processing.guarantee", "commit.interval.ms", "poll.ms",
            "consumer.max.partition.fetch.bytes", "consumer.fetch.max.bytes", "producer.max.request.size",
            "producer.compression.type", "producer.retry.backoff.ms"}) {
            assertThat(streams.getProperty(key)).as(key).isEqualTo(served.getProperty("kafka-streams." + key));
        }
        assertThat(streams.getProperty("bootstrap.servers")).isEqualTo("broker:9092");
        assertThat(streams.getProperty("application.id")).isEqualTo("app");
        assertThat(streams).as("empty settings keep Kafka's defaults").doesNotContainKey("sasl.mechanism");
    }

    @Test
    void triageVariablesReachEveryPartOfThePipeline() {
        Map<String, String> env = Map.of("TRIAGE_BATCH_MAX_SIZE", "7", "TRIAGE_BATCH_MAX_DELAY", "25ms",
                "TRIAGE_IMAGE_MAX_BYTES", "1000", "TRIAGE_TOPICS_RESULTS", "clinic-results",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "SCHEMA_REGISTRY_URL", "http://registry:8081");
        PipelineAssembly pipeline = new PipelineAssembly(TriageSettings.load(Map.of(), env));

        assertThat(pipeline.batching().maxSize()).isEqualTo(7);
        assertThat(pipeline.batching().maxDelay()).isEqualTo(Duration.ofMillis(25));
        assertThat(pipeline.limits().maxBytes()).isEqualTo(1000);
        assertThat(pipeline.inference().warmUpBatch()).isEqualTo(7);
        assertThat(pipeline.topics().results()).isEqualTo("clinic-results");
        assertThat(pipeline.kafkaClientConfig()).containsEntry("bootstrap.servers", "kafka:9093")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(pipeline.serdeConfig()).containsEntry("schema.registry.url", "http://registry:8081");
    }

    @Test
    void theServicesDefaultsAreTheContractsConstants() {
        PipelineAssembly pipeline = new PipelineAssembly(TriageSettings.load(Map.of(), Map.of()));
        Properties streams = pipeline.streamsProperties("app", Path.of("state"));

        assertThat(pipeline.topics().images()).isEqualTo(Topics.LESION_IMAGES);
        assertThat(pipeline.topics().results()).isEqualTo(Topics.TRIAGE_RESULTS);
        assertThat(pipeline.topics().failures()).isEqualTo(Topics.TRIAGE_FAILURES);
        assertThat(pipeline.limits().maxBytes()).isEqualTo(RecordLimits.MAX_IMAGE_RECORD_BYTES);
        assertThat(streams.getProperty("producer.max.request.size"))
                .isEqualTo(String.valueOf(RecordLimits.MAX_DERIVED_RECORD_BYTES));
        assertThat(pipeline.config().deadLetters().maxOriginalBytes()).isEqualTo(RecordLimits.MAX_IMAGE_RECORD_BYTES);
        assertThat(streams.getProperty("consumer.max.partition.fetch.bytes"))
                .isEqualTo(String.valueOf(RecordLimits.MAX_IMAGE_RECORD_BYTES));
        assertThat(pipeline.settings().bootstrapServers()).isEqualTo(DefaultAddresses.KAFKA_BOOTSTRAP_SERVERS);
        assertThat(pipeline.serdeConfig()).containsEntry("schema.registry.url", DefaultAddresses.SCHEMA_REGISTRY_URL);
    }

    @Test
    void overridesWinOverTheEnvironment() {
        PipelineAssembly pipeline = new PipelineAssembly(TriageSettings.load(
                Map.of("triage.batch.max-size", "3"), Map.of("TRIAGE_BATCH_MAX_SIZE", "7")));
        assertThat(pipeline.batching().maxSize()).isEqualTo(3);
    }
}
