package org.lesiontriage.clinictools.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.clinictools.cli.QuietLogging;
import org.lesiontriage.clinictools.simulator.CaseRefs;
import org.lesiontriage.clinictools.simulator.ClinicSimulator;
import org.lesiontriage.testfixtures.SyntheticLesions;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Modality;
import org.lesiontriage.common.labels.LabelledEvent;
import org.lesiontriage.common.labels.LabelsFile;
import org.lesiontriage.common.labels.Label;
import org.lesiontriage.registry.SpecificAvroDeserializer;
import org.lesiontriage.registry.SpecificAvroSerializer;
import org.lesiontriage.stack.KafkaBroker;
import org.lesiontriage.stack.RegistryServer;

/**
 * The simulator publishes to a real broker through a real registry; the test reads the events back, plays the
 * triage service (results in a committed transaction, one dead letter, one result in an aborted transaction),
 * and the viewer must report exactly the hand-computed counts and metrics.
 */
@Tag("integration")
class ClinicToViewerRoundTripTest {

    private static final double THRESHOLD = 0.25;

    private static KafkaBroker broker;
    private static RegistryServer registry;

    @BeforeAll
    static void startStack(@TempDir Path work) throws Exception {
        QuietLogging.apply(); // the in-process broker logs every step at INFO
        broker = KafkaBroker.startEphemeral();
        broker.createTopics(Map.of("lesion-images", 3, "triage-results", 3, "triage-failures", 1));
        registry = RegistryServer.start(0, 0, work.resolve("registry"));
    }

    @AfterAll
    static void stopStack() throws Exception {
        Closing.all(registry, broker);
    }

    @Test
    void simulatorEventsComeBackAndTheViewerScoresTheServiceOutput(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("images");
        Files.createDirectories(images.resolve("melanoma"));
        Files.createDirectories(images.resolve("non_melanoma"));
        for (int i = 0; i < 4; i++) {
            Files.write(images.resolve("melanoma/m" + i + ".jpg"), SyntheticLesions.jpeg(i));
        }
        for (int i = 0; i < 7; i++) {
            Files.write(images.resolve("non_melanoma/n" + i + ".jpg"), SyntheticLesions.jpeg(100 + i));
        }
        Files.write(images.resolve("non_melanoma/n7.png"), SyntheticLesions.png(107)); // gets a dead letter
        Path labelsFile = dir.resolve("labels.tsv");

        ByteArrayOutputStream simOut = new ByteArrayOutputStream();
        int status = ClinicSimulator.run(new String[] {"--bootstrap-servers", broker.bootstrapServers(),
            "--registry-url", registry.confluentUrl(), "--images", images.toString(), "--clinics", "3",
            "--labels-out", labelsFile.toString()}, new PrintStream(simOut, true), new PrintStream(new ByteArrayOutputStream()));
        assertThat(status).as(simOut.toString()).isZero();
        assertThat(simOut.toString()).contains("sent       12 of 12", "failed     0");

        Map<String, LabelledEvent> labels = LabelsFile.read(labelsFile);
        assertThat(labels).hasSize(12);
        List<ConsumerRecord<String, LesionImageEvent>> published = readEvents(12);
        assertThat(published).hasSize(12);
        List<LesionImageEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, LesionImageEvent> record : published) {
            LesionImageEvent e = record.value();
            events.add(e);
            LabelledEvent truth = labels.get(e.getEventId().toString());
            assertThat(truth).as("labels line for " + e.getEventId()).isNotNull();
            assertThat(record.key()).isEqualTo(e.getCaseRef());
            assertThat(e.getCaseRef()).matches("case-[0-9a-f]{12}")
                    .isEqualTo(CaseRefs.pseudonym(e.getClinicId(), truth.fileName()));
            assertThat(e.getClinicId()).isIn("clinic-1", "clinic-2", "clinic-3");
            assertThat(e.getModality()).isEqualTo(Modality.DERMOSCOPIC);
            assertThat(e.getDevice()).isEqualTo("simulator");
            assertThat(e.getMediaType()).isEqualTo(truth.fileName().endsWith(".png") ? "image/png" : "image/jpeg");
            assertThat(truth.label()).isEqualTo(truth.fileName().startsWith("m") ? Label.MELANOMA : Label.NON_MELANOMA);
            Path file = images.resolve((truth.label() == Label.MELANOMA ? "melanoma/" : "non_melanoma/") + truth.fileName());
            byte[] bytes = new byte[e.getImage().remaining()];
            e.getImage().duplicate().get(bytes);
            assertThat(bytes).isEqualTo(Files.readAllBytes(file));
        }
        assertThat(events).extracting(LesionImageEvent::getClinicId).containsOnly("clinic-1", "clinic-2", "clinic-3");

        // A labelled event that only ever gets an aborted result: read_committed must not count it.
        String abortedId = UUID.randomUUID().toString();
        Files.writeString(labelsFile, abortedId + "\tmelanoma\tghost.jpg\n", java.nio.file.StandardOpenOption.APPEND);
        playTheService(events, labels, abortedId);

        Path report = dir.resolve("report.json");
        Path card = dir.resolve("model-card.json");
        Files.writeString(card, """
                {"model_name": "proposed", "model_version": "1.0.0", "decision_rule": {"threshold": 0.25},
                 "metrics": {"test": {"auc": 0.80357, "sensitivity": 0.75, "specificity": 0.8571428571428571,
                   "accuracy": 0.8181818181818182, "confusion_matrix": [[6, 1], [1, 3]],
                   "confusion_matrix_layout": "rows true [non_melanoma, melanoma], columns predicted; p >= threshold"}}}
                """);
        ByteArrayOutputStream viewerOut = new ByteArrayOutputStream();
        ViewerOptions options = ViewerOptions.parse(new String[] {"--bootstrap-servers", broker.bootstrapServers(),
            "--registry-url", registry.confluentUrl(), "--expect", "12", "--idle-timeout", "20",
            "--labels", labelsFile.toString(), "--report", report.toString(), "--check-card", card.toString()});
        ResultsViewer.Outcome outcome =
                new ResultsViewer(options, new PrintStream(viewerOut, true, StandardCharsets.UTF_8), false).follow();
        String text = viewerOut.toString(StandardCharsets.UTF_8);

        RunSummary s = outcome.summary();
        assertThat(s.results()).as(text).isEqualTo(11);
        assertThat(s.deadLetters()).isEqualTo(1);
        assertThat(s.deadLettersByReason()).containsExactly(Map.entry("IMAGE_UNDECODABLE", 1L));
        assertThat(s.urgent()).isEqualTo(4);
        assertThat(s.routine()).isEqualTo(7);
        assertThat(s.missing()).isEqualTo(1);
        assertThat(s.ignored()).isEqualTo(1);
        assertThat(s.latencyMs().percentile(50)).isEqualTo(600L);
        assertThat(s.latencyMs().percentile(95)).isEqualTo(1100L);
        assertThat(s.latencyMs().max()).isEqualTo(1100L);
        assertThat(s.batchSizes()).containsExactly(Map.entry(1, 3L), Map.entry(4, 8L));
        assertThat(s.thresholds()).containsExactly(THRESHOLD);
        var m = s.metrics();
        assertThat(m.trainingLayout()).isEqualTo(new int[][] {{6, 1}, {1, 3}});
        assertThat(m.sensitivity()).isEqualTo(0.75);
        assertThat(m.specificity()).isCloseTo(6.0 / 7, within(1e-12));
        assertThat(m.accuracy()).isCloseTo(9.0 / 11, within(1e-12));
        assertThat(m.auc()).isCloseTo(22.5 / 28, within(1e-12));
        assertThat(outcome.cardCheck().passed()).as(text).isTrue();
        assertThat(outcome.exitCode()).isZero();
        assertThat(text).contains("Against the labels", "IMAGE_UNDECODABLE: 1", "Model card check: PASS");

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("results").asLong()).isEqualTo(11);
        assertThat(json.at("/dead_letters_by_reason/IMAGE_UNDECODABLE").asLong()).isEqualTo(1);
        assertThat(json.at("/labelled/confusion_matrix/melanoma/urgent").asInt()).isEqualTo(3);
        assertThat(json.at("/labelled/auc").asDouble()).isCloseTo(22.5 / 28, within(1e-12));
        assertThat(json.at("/latency_ms/p99").asLong()).isEqualTo(1100);
        assertThat(json.at("/card_check/passed").asBoolean()).isTrue();
    }

    /**
     * Scores the events like the service would: melanomas 0.9, 0.8, 0.3, 0.1 and non-melanomas 0.6, 0.2, 0.2,
     * 0.15, 0.1, 0.05, 0.01 at threshold 0.25, so tp 3, fn 1, fp 1, tn 6 and AUC 22.5 / 28 (0.1 ties once).
     * Latencies 100..1100 ms; the first 8 results in batches of 4, the last 3 alone.
     */
    private static void playTheService(List<LesionImageEvent> events, Map<String, LabelledEvent> labels,
            String abortedId) {
        double[] melanoma = {0.9, 0.8, 0.3, 0.1};
        double[] benign = {0.6, 0.2, 0.2, 0.15, 0.1, 0.05, 0.01};
        int nextMelanoma = 0;
        int nextBenign = 0;
        int scored = 0;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-service-" + UUID.randomUUID());
        Map<String, String> serdeConfig = Map.of("schema.registry.url", registry.confluentUrl());
        SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serdeConfig, false);
        try (KafkaProducer<String, SpecificRecord> producer =
                new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (LesionImageEvent e : events) {
                LabelledEvent truth = labels.get(e.getEventId().toString());
                if (truth.fileName().endsWith(".png")) {
                    producer.send(new ProducerRecord<>("triage-failures", e.getCaseRef(),
                            TestResults.deadLetter(e.getEventId().toString(), "IMAGE_UNDECODABLE")));
                    continue;
                }
                double p = truth.label() == Label.MELANOMA ? melanoma[nextMelanoma++] : benign[nextBenign++];
                scored++;
                producer.send(new ProducerRecord<>("triage-results", e.getCaseRef(), TestResults.result(
                        e.getEventId().toString(), e.getClinicId(), e.getCaseRef(), p, THRESHOLD, e.getCapturedAt(),
                        100L * scored, scored <= 8 ? 4 : 1)));
            }
            // From an earlier run: not in the labels, so ignored.
            producer.send(new ProducerRecord<>("triage-results", "case-old", TestResults.result(
                    UUID.randomUUID().toString(), "clinic-9", "case-old", 0.99, THRESHOLD,
                    java.time.Instant.now(), 5, 1)));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("triage-results", "case-ghost", TestResults.result(
                    abortedId, "clinic-1", "case-ghost", 0.99, THRESHOLD, java.time.Instant.now(), 5, 1)));
            producer.flush();
            producer.abortTransaction();
        }
    }

    private static List<ConsumerRecord<String, LesionImageEvent>> readEvents(int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        SpecificAvroDeserializer<LesionImageEvent> deserializer = new SpecificAvroDeserializer<>(LesionImageEvent.class);
        deserializer.configure(Map.of("schema.registry.url", registry.confluentUrl()), false);
        List<ConsumerRecord<String, LesionImageEvent>> records = new ArrayList<>();
        try (KafkaConsumer<String, LesionImageEvent> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of("lesion-images"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
