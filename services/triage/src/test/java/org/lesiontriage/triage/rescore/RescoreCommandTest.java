package org.lesiontriage.triage.rescore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.triage.config.TriageSettings;
import picocli.CommandLine;

/**
 * bin/rescore runs with the service's settings: the TRIAGE_* variables, the configured topic names (which the
 * live-topic guard must know) and the same work folder as POST /rescore.
 */
@Tag("unit")
class RescoreCommandTest {

    private static RescoreCommand parse(String... args) {
        RescoreCommand command = new RescoreCommand();
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return command;
    }

    @Test
    void theServicesTriageVariablesApplyToAReplay() throws Exception {
        RescoreSettings settings = parse("--job", "j", "--model", "m").settings(Map.of(
                "TRIAGE_BATCH_MAX_SIZE", "7", "TRIAGE_BATCH_MAX_DELAY", "25ms", "TRIAGE_IMAGE_MAX_BYTES", "1000",
                "TRIAGE_MODEL_INTRA_OP_THREADS", "1"));

        assertThat(settings.pipeline().batching().maxSize()).isEqualTo(7);
        assertThat(settings.pipeline().batching().maxDelay()).isEqualTo(Duration.ofMillis(25));
        assertThat(settings.pipeline().limits().maxBytes()).isEqualTo(1000);
        assertThat(settings.pipeline().inference().intraOpThreads()).isEqualTo(1);
    }

    @Test
    void optionsWinOverTheEnvironment() throws Exception {
        RescoreSettings settings = parse("--job", "j", "--model", "m", "--batch-size", "5", "--max-delay-ms", "40",
                "--threads", "3", "--device", "cpu").settings(Map.of("TRIAGE_BATCH_MAX_SIZE", "7"));

        assertThat(settings.pipeline().batching().maxSize()).isEqualTo(5);
        assertThat(settings.pipeline().batching().maxDelay()).isEqualTo(Duration.ofMillis(40));
        assertThat(settings.pipeline().inference().intraOpThreads()).isEqualTo(3);
    }

    @Test
    void theLiveTopicGuardKnowsRenamedTopics() throws Exception {
        RescoreCommand command = parse("--job", "j", "--model", "m", "--output", "clinic-results");
        RescoreSettings settings = command.settings(Map.of("TRIAGE_TOPICS_RESULTS", "clinic-results",
                "TRIAGE_TOPICS_IMAGES", "clinic-images"));

        assertThat(settings.refusal(command.request(settings))).hasValueSatisfying(
                why -> assertThat(why).contains("live topic clinic-results"));
        assertThat(command.request(settings).sourceTopic()).as("the configured image topic is the default source")
                .isEqualTo("clinic-images");
    }

    @Test
    void theWorkFolderDefaultIsTheServices() throws Exception {
        RescoreSettings fromCommand = parse("--job", "j", "--model", "m").settings(Map.of());
        String service = TriageSettings.load(Map.of(), Map.of()).triage().rescore().workDir();

        assertThat(fromCommand.workDir()).isEqualTo(Path.of(service));
        assertThat(parse("--job", "j", "--model", "m").settings(Map.of("TRIAGE_RESCORE_WORK_DIR", "/var/lib/jobs"))
                .workDir()).isEqualTo(Path.of("/var/lib/jobs"));
        assertThat(parse("--job", "j", "--model", "m", "--work-dir", "here").settings(Map.of()).workDir())
                .isEqualTo(Path.of("here"));
    }

    @Test
    void aClientConfigFileSplitsIntoKafkaAndRegistrySettings(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                consumer.session.timeout.ms=6000
                schema.registry.url=https://registry:8443
                basic.auth.user.info=user:secret
                basic.auth.credentials.source=USER_INFO
                schema.registry.ssl.truststore.location=/ca.p12
                """);
        RescoreSettings settings = parse("--job", "j", "--model", "m", "--kafka-config", file.toString()).settings(Map.of());

        assertThat(settings.pipeline().kafkaClientConfig()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").doesNotContainKey("schema.registry.url");
        assertThat(settings.pipeline().streamsProperties("a", dir)).containsEntry("consumer.session.timeout.ms", "6000");
        assertThat(settings.pipeline().serdeConfig()).containsEntry("schema.registry.url", "https://registry:8443")
                .containsEntry("basic.auth.user.info", "user:secret")
                .containsEntry("schema.registry.ssl.truststore.location", "/ca.p12");
    }

    @Test
    void missingRequiredOptionsAreAUsageError() {
        int status = new CommandLine(new RescoreCommand()).execute("--job", "j");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
    }
}
