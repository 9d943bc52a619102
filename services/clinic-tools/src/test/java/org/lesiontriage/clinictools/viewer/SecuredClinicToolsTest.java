package org.lesiontriage.clinictools.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.clinictools.cli.ClientSettings;
import org.lesiontriage.clinictools.cli.QuietLogging;
import org.lesiontriage.clinictools.simulator.ClinicSimulator;
import org.lesiontriage.common.labels.LabelsFile;
import org.lesiontriage.registry.SpecificAvroSerializer;
import org.lesiontriage.stack.KafkaBroker;
import org.lesiontriage.stack.RegistryServer;
import org.lesiontriage.stack.tls.LoopbackTls;
import org.lesiontriage.stack.tls.ScramUser;

/**
 * Simulator and viewer against a SASL_SSL (SCRAM-SHA-512) broker and an HTTPS-only registry, configured only
 * through --kafka-config; a wrong password makes the simulator stop at once and say why.
 */
@Tag("integration")
class SecuredClinicToolsTest {

    private static LoopbackTls tls;
    private static KafkaBroker broker;
    private static RegistryServer registry;

    @BeforeAll
    static void startSecuredStack(@TempDir Path work) throws Exception {
        QuietLogging.apply();
        tls = LoopbackTls.generate(work.resolve("tls"));
        broker = KafkaBroker.startSaslSsl(tls, ScramUser.random("clinic-tools"));
        broker.createTopics(Map.of("lesion-images", 1, "triage-results", 1, "triage-failures", 1));
        registry = RegistryServer.startHttps(work.resolve("registry"), tls);
    }

    @AfterAll
    static void stopSecuredStack() throws Exception {
        Closing.all(registry, broker);
    }

    @Test
    void simulatorPublishesAndViewerReadsThroughTheSecuredStack(@TempDir Path dir) throws Exception {
        Path config = clientConfig(dir, broker.clientSecurity());
        Path labelsFile = dir.resolve("labels.tsv");
        ByteArrayOutputStream simOut = new ByteArrayOutputStream();
        int status = ClinicSimulator.run(new String[] {"--bootstrap-servers", broker.bootstrapServers(),
            "--registry-url", registry.confluentUrl(), "--kafka-config", config.toString(), "--synthetic", "3",
            "--labels-out", labelsFile.toString()}, new PrintStream(simOut, true), new PrintStream(new ByteArrayOutputStream()));
        assertThat(status).as(simOut.toString()).isZero();
        assertThat(simOut.toString()).contains("sent       3 of 3");

        ClientSettings settings = ClientSettings.read(config);
        playTheService(settings, LabelsFile.read(labelsFile).keySet());
        ByteArrayOutputStream viewerOut = new ByteArrayOutputStream();
        ViewerOptions options = ViewerOptions.parse(new String[] {"--bootstrap-servers", broker.bootstrapServers(),
            "--registry-url", registry.confluentUrl(), "--kafka-config", config.toString(), "--expect", "3",
            "--idle-timeout", "20", "--labels", labelsFile.toString()});
        ResultsViewer.Outcome outcome =
                new ResultsViewer(options, new PrintStream(viewerOut, true, StandardCharsets.UTF_8), false).follow();
        assertThat(outcome.summary().results()).as(viewerOut.toString(StandardCharsets.UTF_8)).isEqualTo(3);
        assertThat(outcome.summary().missing()).isZero();
    }

    @Test
    void aWrongPasswordStopsTheSimulatorAtOnceWithTheReason(@TempDir Path dir) throws Exception {
        Map<String, String> wrong = new java.util.HashMap<>(broker.clientSecurity());
        wrong.put("sasl.jaas.config", ScramUser.random("clinic-tools").jaasConfig());
        Path config = clientConfig(dir, wrong);
        ByteArrayOutputStream simOut = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int status = ClinicSimulator.run(new String[] {"--bootstrap-servers", broker.bootstrapServers(),
            "--registry-url", registry.confluentUrl(), "--kafka-config", config.toString(), "--synthetic", "3"},
                new PrintStream(simOut, true), new PrintStream(new ByteArrayOutputStream()));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(status).isEqualTo(1);
        assertThat(simOut.toString()).contains("SaslAuthenticationException", "Authentication failed")
                .doesNotContain(tls.password());
        assertThat(millis).as("ms until the simulator gave up").isLessThan(15_000);
    }

    /** The client settings file an operator would write: Kafka security plus the registry's truststore. */
    private static Path clientConfig(Path dir, Map<String, String> kafkaSecurity) throws IOException {
        Properties file = new Properties();
        file.putAll(kafkaSecurity);
        file.putAll(tls.truststoreSettings("schema.registry."));
        Path path = dir.resolve("client.properties");
        try (var out = Files.newBufferedWriter(path)) {
            file.store(out, null);
        }
        return path;
    }

    private static void playTheService(ClientSettings settings, Iterable<String> eventIds) {
        Properties props = settings.applyTo(new Properties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>();
        serializer.configure(settings.serdeConfig(registry.confluentUrl()), false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            for (String eventId : eventIds) {
                producer.send(new ProducerRecord<>("triage-results", eventId, TestResults.result(eventId, "clinic-1",
                        "case-" + eventId.substring(0, 8), 0.1, 0.25, Instant.now(), 100, 1)));
            }
        }
    }
}
