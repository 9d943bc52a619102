package org.lesiontriage.clinictools.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.clinictools.cli.UsageException;

@Tag("unit")
class SimulatorOptionsTest {

    @Test
    void defaultsComeFromTheEnvironmentAndFallBackToSyntheticImages(@TempDir Path parent) throws Exception {
        Path root = Files.createDirectories(parent.resolve("repo")); // no shared/ next to it
        SimulatorOptions o = SimulatorOptions.parse(new String[0],
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:1", "SCHEMA_REGISTRY_URL", "http://r:2"), root.toString());
        assertThat(o.bootstrapServers()).isEqualTo("k:1");
        assertThat(o.registryUrl()).isEqualTo("http://r:2");
        assertThat(o.topic()).isEqualTo("lesion-images");
        assertThat(o.isSynthetic()).isTrue();
        assertThat(o.synthetic()).isEqualTo(SimulatorOptions.DEFAULT_SYNTHETIC);
        assertThat(o.clinics()).isEqualTo(3);
        assertThat(o.rate()).isZero();
        assertThat(o.limit()).isEqualTo(Integer.MAX_VALUE);

        SimulatorOptions noEnv = SimulatorOptions.parse(new String[0], Map.of(), null);
        assertThat(noEnv.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(noEnv.registryUrl()).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
    }

    @Test
    void defaultImageFolderIsTheSharedTestSplitNextToTheRepository(@TempDir Path parent) throws Exception {
        Path repo = Files.createDirectories(parent.resolve("repo"));
        Path split = Files.createDirectories(parent.resolve("shared/data/isic/test"));
        SimulatorOptions o = SimulatorOptions.parse(new String[0], Map.of(), repo.toString());
        assertThat(o.isSynthetic()).isFalse();
        assertThat(o.images()).isEqualTo(split);
    }

    @Test
    void parsesEveryOptionInBothSpellings() {
        SimulatorOptions o = SimulatorOptions.parse(new String[] {
            "--bootstrap-servers", "a:9", "--registry-url=http://x/apis/ccompat/v7", "--images", "imgs",
            "--clinics", "5", "--rate=12.5", "--limit", "40", "--labels-out", "out.tsv", "--topic", "t"},
                Map.of(), null);
        assertThat(o.bootstrapServers()).isEqualTo("a:9");
        assertThat(o.registryUrl()).isEqualTo("http://x/apis/ccompat/v7");
        assertThat(o.images()).isEqualTo(Path.of("imgs"));
        assertThat(o.clinics()).isEqualTo(5);
        assertThat(o.rate()).isEqualTo(12.5);
        assertThat(o.limit()).isEqualTo(40);
        assertThat(o.labelsOut()).isEqualTo(Path.of("out.tsv"));
        assertThat(o.topic()).isEqualTo("t");
        assertThat(SimulatorOptions.parse(new String[] {"--synthetic", "7"}, Map.of(), null).synthetic()).isEqualTo(7);
        assertThat(SimulatorOptions.parse(new String[] {"--help"}, Map.of(), null).help()).isTrue();
    }

    @Test
    void rejectsBadCommandLines() {
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--clinics", "0"}, Map.of(), null))
                .isInstanceOf(UsageException.class).hasMessageContaining("--clinics");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--rate", "-1"}, Map.of(), null))
                .isInstanceOf(UsageException.class).hasMessageContaining("--rate");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--images"}, Map.of(), null))
                .isInstanceOf(UsageException.class).hasMessageContaining("--images");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--images", "a", "--synthetic", "3"}, Map.of(),
                null)).isInstanceOf(UsageException.class).hasMessageContaining("exclude");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--speed", "3"}, Map.of(), null))
                .isInstanceOf(UsageException.class).hasMessageContaining("Unknown option").hasMessageContaining("--speed");
    }

    @Test
    void helpAndBadOptionsGiveTheirExitCodes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertThat(ClinicSimulator.run(new String[] {"--help"}, new java.io.PrintStream(out),
                new java.io.PrintStream(err))).isZero();
        assertThat(out.toString()).contains("--labels-out", "--synthetic", "--rate");
        assertThat(ClinicSimulator.run(new String[] {"--nope"}, new java.io.PrintStream(out),
                new java.io.PrintStream(err))).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option", "--nope");
    }
}
