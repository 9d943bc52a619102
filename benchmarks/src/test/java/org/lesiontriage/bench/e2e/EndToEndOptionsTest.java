package org.lesiontriage.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@Tag("unit")
class EndToEndOptionsTest {

    @Test
    void settingsHoldEveryOptionsValueBySnakeCaseNameButNotTheOutputFile() {
        EndToEndBenchmark.Options options = new EndToEndBenchmark.Options();
        new CommandLine(options).parseArgs("--max-delay-ms", "50", "--rate-fractions", "0.25,0.5", "--out", "x.json");

        assertThat(options.settings()).containsEntry("max_delay_ms", 50).containsEntry("threads", 2)
                .containsEntry("rate_fractions", List.of(0.25, 0.5)).containsEntry("model_dir", "models/triagenet/2.0.0")
                .containsEntry("label", "as served").doesNotContainKey("out");
    }
}
