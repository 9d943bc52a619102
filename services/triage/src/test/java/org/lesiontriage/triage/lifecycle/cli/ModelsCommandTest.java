package org.lesiontriage.triage.lifecycle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** bin/models' command line: what the Kubernetes Jobs and the docs pass it parses to what they mean. */
@Tag("unit")
class ModelsCommandTest {

    @Test
    void activateTakesNameVersionReasonAndHowLongToWaitForReadyInstances() {
        var parsed = new CommandLine(new ModelsCommand()).parseArgs("--by", "ops", "activate", "triagenet",
                "2.0.0-int8", "--reason", "smaller and faster", "--wait-ready", "30s");
        ModelsCommand.Activate activate = (ModelsCommand.Activate) parsed.subcommand().commandSpec().userObject();

        assertThat(activate.model.key()).isEqualTo(new org.lesiontriage.triage.lifecycle.ModelKey("triagenet", "2.0.0-int8"));
        assertThat(activate.options.reason).isEqualTo("smaller and faster");
        assertThat(activate.options.waitReady()).isEqualTo(Duration.ofSeconds(30));
        assertThat(((ModelsCommand) parsed.commandSpec().userObject()).requestedBy()).isEqualTo("ops");
    }

    @Test
    void activateTakesTheGatesEvidenceLabelsAndAForce() {
        var parsed = new CommandLine(new ModelsCommand()).parseArgs("activate", "triagenet", "3.0.0", "--evidence",
                "rescore-v3", "--since", "2026-12-07T08:00:00Z", "--labels", "run/labels.tsv", "--force",
                "--reason", "reviewed by the clinical lead");
        ModelsCommand.Activate activate = (ModelsCommand.Activate) parsed.subcommand().commandSpec().userObject();

        assertThat(activate.evidence).isEqualTo("rescore-v3");
        assertThat(activate.since).isEqualTo(java.time.Instant.parse("2026-12-07T08:00:00Z"));
        assertThat(activate.labels).isEqualTo(Path.of("run/labels.tsv"));
        assertThat(activate.force).isTrue();
    }

    @Test
    void canaryTakesClinicsAndAFraction() {
        var parsed = new CommandLine(new ModelsCommand()).parseArgs("canary", "triagenet", "3.0.0", "--clinics",
                "clinic-north,clinic-east", "--fraction", "0.1");
        ModelsCommand.Canary canary = (ModelsCommand.Canary) parsed.subcommand().commandSpec().userObject();

        assertThat(canary.clinics).containsExactly("clinic-north", "clinic-east");
        assertThat(canary.fraction).isEqualTo(0.1);
    }

    @Test
    void publishTakesAFolderAndOptionallyASharedVolumePath() {
        var parsed = new CommandLine(new ModelsCommand()).parseArgs("publish", "models/triagenet/2.0.0-int8",
                "--onnx-path", "/models/triagenet/2.0.0-int8/model.onnx");
        ModelsCommand.Publish publish = (ModelsCommand.Publish) parsed.subcommand().commandSpec().userObject();

        assertThat(publish.dir).isEqualTo(Path.of("models/triagenet/2.0.0-int8"));
        assertThat(publish.onnxPath).isEqualTo("/models/triagenet/2.0.0-int8/model.onnx");
    }

    @Test
    void durationsReadAsTheServiceWritesThem() {
        assertThat(ModelsCommand.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ModelsCommand.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ModelsCommand.parseDuration("0s")).isZero();
        assertThat(ModelsCommand.parseDuration("90")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void withoutACommandItExplainsAndExitsWithTwo() {
        StringWriter err = new StringWriter();
        int status = new CommandLine(new ModelsCommand()).setErr(new PrintWriter(err)).execute();

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("name a command: publish, activate, rollback, shadow, canary or status");
    }
}
