package org.lesiontriage.bench.common;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** One benchmark as a picocli subcommand: its options object runs it and exits 0 once the report is written. */
public abstract class BenchCommand implements Callable<Integer> {

    @Option(names = "--model-dir", description = "folder with model.onnx (default: the served model)")
    protected Path modelDir = Path.of(BenchDefaults.MODEL_DIR);

    @Option(names = "--out", description = "the JSON report (default: target/bench/NAME.json)")
    private Path out;

    /** The report's default file name under target/bench/. */
    private final String name;

    @Spec
    private CommandSpec spec;

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

    /**
     * Every option's value as this run had it, by long name in snake case ("--max-delay-ms" -> "max_delay_ms"),
     * so that a report shows all settings of a run, options added later included; --out is left out.
     */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            String key = option.longestName().replaceFirst("^-+", "").replace('-', '_');
            if (option.usageHelp() || option.versionHelp() || key.equals("out")) {
                continue;
            }
            Object value = option.getValue();
            settings.put(key, value instanceof Path path ? path.toString() : value);
        }
        return settings;
    }

    @Override
    public final Integer call() throws Exception {
        run();
        return 0;
    }
}
