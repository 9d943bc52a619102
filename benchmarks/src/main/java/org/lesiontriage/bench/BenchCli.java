package org.lesiontriage.bench;

import org.lesiontriage.bench.e2e.EndToEndBenchmark;
import org.lesiontriage.bench.inference.InferenceBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of bin/bench: {@code inference [options]} or {@code e2e [options]}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {InferenceBenchmark.Options.class, EndToEndBenchmark.Options.class, org.lesiontriage.bench.precision.PrecisionBenchmark.class},
        description = "The benchmarks behind docs/benchmarks.md (bin/bench runs them in order).")
public final class BenchCli {

    private BenchCli() {
    }

    public static void main(String[] argv) {
        int status = new CommandLine(new BenchCli()).execute(argv);
        // Kafka and ONNX Runtime leave non-daemon threads behind; the report is written, so leave now.
        System.exit(status);
    }
}
