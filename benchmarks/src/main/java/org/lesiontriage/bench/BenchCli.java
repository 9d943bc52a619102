package org.lesiontriage.bench;

import java.util.Arrays;
import org.lesiontriage.bench.common.Args;
import org.lesiontriage.bench.e2e.EndToEndBenchmark;
import org.lesiontriage.bench.inference.InferenceBenchmark;

/** Entry point of bin/bench: {@code inference [--options]} or {@code e2e [--options]}. */
public final class BenchCli {

    private BenchCli() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: BenchCli inference|e2e [--name value ...]  (see bin/bench --help)");
            System.exit(2);
        }
        Args args = new Args(Arrays.copyOfRange(argv, 1, argv.length));
        switch (argv[0]) {
            case "inference" -> InferenceBenchmark.run(args);
            case "e2e" -> EndToEndBenchmark.run(args);
            default -> {
                System.err.println("unknown benchmark " + argv[0]);
                System.exit(2);
            }
        }
        // Kafka and ONNX Runtime leave non-daemon threads behind; the report is written, so leave now.
        System.exit(0);
    }
}
