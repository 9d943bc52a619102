package org.lesiontriage.bench.common;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** One benchmark as a picocli subcommand: its options object runs it and exits 0 once the report is written. */
public abstract class BenchCommand implements Callable<Integer> {

    @Option(names = "--model-dir", description = "folder with model.onnx (default: the served model)")
    protected Path modelDir = Path.of(BenchDefaults.MODEL_DIR);

    @Option(names = "--out", description = "the JSON report (default: target/bench/NAME.json)")
    private Path out;

    /** The report's default file name under target/bench/. */
    private final String name;

    protected BenchCommand(String name) {
        this.name = name;
    }

    protected abstract void run() throws Exception;

    public Path modelDir() {
        return modelDir;
    }

    public Path out() {
        return out != null ? out : Path.of("target", "bench", name + ".json");
    }

    @Override
    public final Integer call() throws Exception {
        run();
        return 0;
    }
}
