package org.lesiontriage.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.bench.common.ServedSettings;
import picocli.CommandLine;

@Tag("unit")
class EndToEndOptionsTest {

    private final ServedSettings served = ServedSettings.read();

    @Test
    void settingsHoldEveryOptionsValueBySnakeCaseNameButNotTheOutputFile() {
        EndToEndBenchmark.Options options = new EndToEndBenchmark.Options();
        new CommandLine(options).parseArgs("--max-delay-ms", "50", "--rate-fractions", "0.25,0.5", "--out", "x.json");
        options.fillInServed(served);

        assertThat(options.settings()).containsEntry("max_delay_ms", 50)
                .containsEntry("threads", served.intraOpThreads())
                .containsEntry("rate_fractions", List.of(0.25, 0.5)).containsEntry("model_dir", "models/triagenet/2.0.0")
                .containsEntry("label", "as served").doesNotContainKey("out");
    }

    @Test
    void aShadowRateIsOneOfTheRatesAndItsModelIsTheLiveOneUnlessNamed() {
        EndToEndBenchmark.Options options = new EndToEndBenchmark.Options();
        new CommandLine(options).parseArgs("--rate-fractions", "0.25,0.5", "--shadow-fractions", "0.5");
        options.validate();
        assertThat(options.shadowModelDir()).isEqualTo(Path.of("models/triagenet/2.0.0"));

        EndToEndBenchmark.Options named = new EndToEndBenchmark.Options();
        new CommandLine(named).parseArgs("--rate-fractions", "0.5", "--shadow-fractions", "0.5",
                "--shadow-model-dir", "models/triagenet/2.0.0-int8");
        assertThat(named.shadowModelDir()).isEqualTo(Path.of("models/triagenet/2.0.0-int8"));

        EndToEndBenchmark.Options elsewhere = new EndToEndBenchmark.Options();
        new CommandLine(elsewhere).parseArgs("--rate-fractions", "0.25", "--shadow-fractions", "0.5");
        assertThatThrownBy(elsewhere::validate).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--shadow-fractions 0.5 is not one of --rate-fractions [0.25]");
    }

    @Test
    void withoutShadowRatesNoShadowIsLoaded() {
        EndToEndBenchmark.Options options = new EndToEndBenchmark.Options();
        new CommandLine(options).parseArgs("--shadow-model-dir", "models/triagenet/2.0.0-int8");
        options.validate();

        assertThat(options.shadowModelDir()).isNull();
        assertThat(options.settings()).containsEntry("shadow_fractions", List.of());
    }

    @Test
    void withoutOptionsARunIsAsServed() {
        EndToEndBenchmark.Options options = new EndToEndBenchmark.Options();
        new CommandLine(options).parseArgs();
        options.fillInServed(served);

        assertThat(options.settings()).containsEntry("threads", served.intraOpThreads())
                .containsEntry("max_batch", served.maxBatch())
                .containsEntry("max_delay_ms", Math.toIntExact(served.maxDelay().toMillis()))
                .containsEntry("stream_threads", served.streamThreads())
                .containsEntry("commit_interval_ms", served.commitIntervalMs());
        assertThat(options.triedSettings()).as("nothing tried instead of the served settings").isEmpty();
    }
}
