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
import org.lesiontriage.triage.inference.InferenceOptions;

/**
 * ONNX Runtime Java throughput and latency of the served model over batch sizes and intra-op thread counts,
 * through the service's LesionClassifier, plus the BASIC graph optimisation level for comparison; and, with
 * --gemm-graph, the fp32 ceiling the model's GFLOP/s is compared with: a square MatMul at the same thread counts
 * and with the same session options ({@link GemmCeiling}).
 *
 * <p>Options: --model-dir, --batches 1,4,..., --threads 1,2, --opt-levels ALL,BASIC, --warmup-s, --measure-s,
 * --min-runs, --gemm-graph gemm.onnx, --gemm-sizes 512,1024, --gemm-only, --out report.json.
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
        @Option(names = "--gemm-graph", description = "the MatMul graph of model_flops.py --gemm-graph: measure the fp32 "
                + "ceiling with it at each thread count (not measured without it)")
        Path gemmGraph;
        @Option(names = "--gemm-sizes", split = ",", description = "n of the [n, n] x [n, n] MatMuls; the ceiling is "
                + "the best of them")
        List<Integer> gemmSizes = List.of(512, 1024);
        @Option(names = "--gemm-only", description = "measure the ceiling only, not the model")
        boolean gemmOnly;

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

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model_dir", modelDir.toString());
        report.put("loop", loop);
        if (options.gemmGraph != null) {
            report.put("gemm_ceiling", gemmCeiling(options.gemmGraph, threadCounts, options.gemmSizes, loop));
        } else if (options.gemmOnly) {
            throw new IllegalArgumentException("--gemm-only needs --gemm-graph");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        report.put("rows", rows);
        if (options.gemmOnly) {
            JsonReport.write(options.out(), report);
            return;
        }
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
        JsonReport.write(options.out(), report);
    }

    /** The MatMul at every thread count and size; per thread count the report takes the best size as the ceiling. */
    static Map<String, Object> gemmCeiling(Path graph, List<Integer> threadCounts, List<Integer> sizes, TimedLoop loop)
            throws Exception {
        List<GemmCeiling.Result> rows = new ArrayList<>();
        System.out.printf("%-8s %-6s %6s %6s %12s %12s%n", "gemm", "thr", "n", "runs", "GFLOP/s", "median ms");
        for (int threads : threadCounts) {
            try (GemmCeiling gemm = new GemmCeiling(graph, threads)) {
                for (int n : sizes) {
                    GemmCeiling.Result r = gemm.measure(n, loop);
                    System.out.printf("%-8s %-6d %6d %6d %12.1f %12.2f%n", "MatMul", threads, n, r.runs(), r.gflops(),
                            r.medianMs());
                    rows.add(r);
                }
            }
        }
        Map<String, Object> ceiling = new LinkedHashMap<>();
        ceiling.put("graph", graph.toString());
        ceiling.put("what", "C = A x B, A and B [n, n] fp32 graph inputs, ONNX Runtime Java with the service's CPU "
                + "session options (graph optimisation ALL, intra-op threads as given, 1 inter-op thread, spinning "
                + (InferenceOptions.cpu(1).spinWait() ? "on" : "off") + "); gflops = 2 n^3 x runs / seconds");
        ceiling.put("rows", rows);
        return ceiling;
    }

    /** ALL goes through the service's classifier; other levels through ONNX Runtime used directly. */
    static BatchRunner runnerFor(String level, Path modelDir, int threads, int maxBatch) throws Exception {
        if (level.equals("ALL")) {
            return new ServiceClassifierRunner(modelDir, threads, maxBatch);
        }
        return new OptLevelRunner(modelDir, threads, maxBatch, OptLevel.valueOf(level + "_OPT"));
    }
}
