package org.lesiontriage.bench.inference;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lesiontriage.bench.common.BenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.lesiontriage.bench.common.JsonReport;

/**
 * ONNX Runtime Java throughput and latency of the served model over batch sizes and intra-op thread counts,
 * through the service's LesionClassifier, plus the BASIC graph optimisation level for comparison.
 *
 * <p>Options: --model-dir, --batches 1,4,..., --threads 1,2, --opt-levels ALL,BASIC, --warmup-s, --measure-s,
 * --min-runs, --out report.json.
 */
public final class InferenceBenchmark {

    private InferenceBenchmark() {
    }

    /** bin/bench's inference step. */
    @Command(name = "inference", description = "ONNX Runtime alone: images/s by batch size, threads, optimisation level")
    public static final class Options extends BenchCommand {
        @Option(names = "--batches", split = ",")
        List<Integer> batches = List.of(1, 4, 16, 32, 64, 128, 256);
        @Option(names = "--threads", split = ",", description = "ONNX Runtime intra-op thread counts")
        List<Integer> threads = List.of(1, 2);
        @Option(names = "--opt-levels", split = ",")
        List<String> levels = List.of("ALL", "BASIC");
        @Option(names = "--warmup-s")
        double warmupSeconds = 0.5;
        @Option(names = "--measure-s")
        double measureSeconds = 2.0;
        @Option(names = "--min-runs")
        int minRuns = 3;

        public Options() {
            super("inference");
        }

        @Override
        protected void run() throws Exception {
            InferenceBenchmark.run(this);
        }
    }

    static void run(Options options) throws Exception {
        Path modelDir = options.modelDir();
        List<Integer> batches = options.batches;
        List<Integer> threadCounts = options.threads;
        List<String> levels = options.levels;
        TimedLoop loop = new TimedLoop(options.warmupSeconds, options.measureSeconds, options.minRuns);
        int maxBatch = batches.stream().mapToInt(Integer::intValue).max().orElseThrow();

        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.printf("%-8s %-6s %6s %6s %12s %12s %12s%n", "opt", "thr", "batch", "runs", "images/s",
                "median ms", "p90 ms");
        for (String level : levels) {
            for (int threads : threadCounts) {
                try (BatchRunner runner = runnerFor(level, modelDir, threads, maxBatch)) {
                    for (int batch : batches) {
                        TimedLoop.Result r = loop.measure(runner, batch);
                        System.out.printf("%-8s %-6d %6d %6d %12.1f %12.2f %12.2f%n", level, threads, batch, r.runs(),
                                r.imagesPerSecond(), r.medianMs(), r.p90Ms());
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("engine", "onnxruntime-java");
                        row.put("opt_level", level);
                        row.put("threads", threads);
                        row.put("result", r);
                        rows.add(row);
                    }
                }
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model_dir", modelDir.toString());
        report.put("loop", loop);
        report.put("rows", rows);
        JsonReport.write(options.out(), report);
    }

    /** ALL goes through the service's classifier; other levels through ONNX Runtime used directly. */
    static BatchRunner runnerFor(String level, Path modelDir, int threads, int maxBatch) throws Exception {
        if (level.equals("ALL")) {
            return new ServiceClassifierRunner(modelDir, threads, maxBatch);
        }
        return new OptLevelRunner(modelDir, threads, maxBatch, OptLevel.valueOf(level + "_OPT"));
    }
}
