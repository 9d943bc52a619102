package org.lesiontriage.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.lesiontriage.bench.common.BenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.lesiontriage.bench.common.CpuClock;
import org.lesiontriage.bench.common.JsonReport;
import org.lesiontriage.clinictools.metrics.Percentiles;
import org.lesiontriage.bench.inference.ServiceClassifierRunner;
import org.lesiontriage.bench.inference.TimedLoop;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.topology.TriageTopics;

/**
 * The service end to end: real broker, real registry, the real topology under exactly-once. Runs, in order:
 * a warm-up, saturation (events published as fast as the producer goes, max batch as served), the same with
 * max batch 1 (per-record inference), then fixed rates at fractions of the measured saturation. Also measures,
 * in the same JVM with the same thread budget, the raw model ceiling and the per-stage costs.
 *
 * <p>Options: --model-dir, --images (ISIC test folder; synthetic JPEGs when absent), --threads (ONNX Runtime
 * intra-op threads, default 2 as served), --stream-threads 1 and --max-delay-ms 10 (as served), --max-batch 32, --partitions 3 (as bin/stack creates), --events,
 * --per-record-events, --warmup-events, --rate-fractions 0.25,0.5,0.75, --rate-seconds, --label, --out.
 */
public final class EndToEndBenchmark {

    private EndToEndBenchmark() {
    }

    /** bin/bench's end-to-end step; the defaults are the service's settings. */
    @Command(name = "e2e", description = "The topology against a real broker and registry: saturation, per-record, "
            + "rates as fractions of saturation, stage costs")
    public static final class Options extends BenchCommand {
        @Option(names = "--images", description = "ISIC test folder; synthetic JPEGs when absent")
        Path images = Path.of("../shared/data/isic/test");
        @Option(names = "--corpus-limit")
        int corpusLimit = 1000;
        @Option(names = "--threads", description = "ONNX Runtime intra-op threads (2 as served)")
        int threads = 2;
        @Option(names = "--max-batch")
        int maxBatch = 32;
        @Option(names = "--partitions", description = "as bin/stack creates them")
        int partitions = 3;
        @Option(names = "--events")
        int events = 3000;
        @Option(names = "--per-record-events", description = "default: half of --events")
        Integer perRecordEvents;
        @Option(names = "--warmup-events")
        int warmupEvents = 300;
        @Option(names = "--stream-threads")
        int streamThreads = 1;
        @Option(names = "--max-delay-ms")
        int maxDelayMs = 10;
        /** The service commits every 100 ms: results become visible then, which sets the latency floor. */
        @Option(names = "--commit-interval-ms")
        int commitIntervalMs = 100;
        /** The service turns ONNX Runtime's spin-waiting off; --ort-spin true measures its default. */
        @Option(names = "--ort-spin", arity = "1")
        boolean spinWait;
        @Option(names = "--rate-fractions", split = ",")
        List<Double> rateFractions = List.of(0.25, 0.5, 0.75);
        @Option(names = "--rate-seconds")
        double rateSeconds = 20;
        @Option(names = "--ceiling-s")
        double ceilingSeconds = 3.0;
        @Option(names = "--stage-s")
        double stageSeconds = 1.5;
        @Option(names = "--label")
        String label = "as served";

        public Options() {
            super("e2e");
        }

        @Override
        protected void run() throws Exception {
            EndToEndBenchmark.run(this);
        }
    }

    static void run(Options options) throws Exception {
        Path modelDir = options.modelDir();
        int threads = options.threads;
        int maxBatch = options.maxBatch;
        int partitions = options.partitions;
        int events = options.events;
        int streamThreads = options.streamThreads;
        Duration maxDelay = Duration.ofMillis(options.maxDelayMs);
        int commitIntervalMs = options.commitIntervalMs;
        boolean spinWait = options.spinWait;
        Map<String, Object> report = new LinkedHashMap<>();
        List<Map<String, Object>> scenarios = new ArrayList<>();

        try (BenchStack stack = BenchStack.start();
             ServiceClassifierRunner model = new ServiceClassifierRunner(
                     LesionClassifier.load(modelDir, InferenceOptions.cpu(threads).withSpinWait(spinWait)), maxBatch);
             LoadGenerator load = new LoadGenerator(stack.bootstrapServers())) {
            EventCorpus corpus = EventCorpus.load(options.images, options.corpusLimit, stack.serdeConfig());
            System.out.printf("Corpus: %s, mean event %.1f KiB; ONNX Runtime threads %d, stream threads %d, max batch %d, "
                    + "%d partitions%n", corpus.source(), corpus.meanValueBytes() / 1024, threads, streamThreads,
                    maxBatch, partitions);

            TimedLoop.Result ceiling = new TimedLoop(0.5, options.ceilingSeconds, 3).measure(model, maxBatch);
            System.out.printf("Raw inference ceiling at batch %d, %d threads: %.1f images/s%n", maxBatch, threads,
                    ceiling.imagesPerSecond());

            Scenario.Runner runner = new Scenario.Runner(stack, load, corpus, model, partitions, streamThreads,
                    maxDelay, commitIntervalMs);
            runner.run(new Scenario("warm-up", maxBatch, 0, options.warmupEvents));
            Map<String, Object> saturation = runner.run(new Scenario("saturation", maxBatch, 0, events));
            scenarios.add(saturation);
            int perRecordEvents = options.perRecordEvents != null ? options.perRecordEvents : events / 2;
            if (perRecordEvents > 0) {
                scenarios.add(runner.run(new Scenario("per-record", 1, 0, perRecordEvents)));
            }
            double saturated = (double) saturation.get("throughput_events_per_s");
            double rateSeconds = options.rateSeconds;
            for (double fraction : options.rateFractions) {
                double rate = fraction * saturated;
                int count = (int) Math.max(20, rate * rateSeconds);
                Map<String, Object> row = runner.run(new Scenario("rate-" + Math.round(fraction * 100) + "pct",
                        maxBatch, rate, count));
                row.put("load_fraction", fraction);
                scenarios.add(row);
            }

            var components = TriagePipeline.components(model.classifier(),
                    new BatchPolicy(maxBatch, maxDelay),
                    stack.serdeConfig());
            Map<String, Double> stages = StageProfile.measure(corpus, components, model.classifier(), maxBatch,
                    stack.serdeConfig(), options.stageSeconds);
            stages.forEach((stage, ms) -> System.out.printf("Stage %-24s %8.3f ms/image%n", stage, ms));

            report.put("label", options.label);
            report.put("max_delay_ms", maxDelay.toMillis());
            report.put("corpus", corpus.source());
            report.put("mean_event_bytes", corpus.meanValueBytes());
            report.put("threads", threads);
            report.put("max_batch", maxBatch);
            report.put("partitions", partitions);
            report.put("stream_threads", streamThreads);
            report.put("commit_interval_ms", commitIntervalMs);
            report.put("ort_spin_wait", spinWait);
            report.put("raw_ceiling", ceiling);
            report.put("scenarios", scenarios);
            report.put("stage_ms_per_image", stages);
        }
        JsonReport.write(options.out(), report);
    }

    /** One load pattern: a max batch size, a rate (0 = as fast as the producer goes) and a number of events. */
    record Scenario(String name, int maxBatch, double rate, int events) {

        /** Runs scenarios one after another, each on fresh topics and a fresh application id. */
        record Runner(BenchStack stack, LoadGenerator load, EventCorpus corpus, ServiceClassifierRunner model,
                      int partitions, int streamThreads, Duration maxDelay, int commitIntervalMs) {

            Map<String, Object> run(Scenario scenario) throws Exception {
                String id = "bench-" + scenario.name() + "-" + System.nanoTime();
                TriageTopics topics = stack.createTopics(id, partitions);
                KafkaStreams streams = TriagePipeline.start(stack, topics, model.classifier(),
                        new BatchPolicy(scenario.maxBatch(), maxDelay), streamThreads, commitIntervalMs, id);
                try (ResultCollector collector = new ResultCollector(stack.bootstrapServers(), topics,
                        stack.serdeConfig())) {
                    collector.awaitAssignment(Duration.ofSeconds(30));
                    CpuClock cpu = new CpuClock();
                    long startMs = System.currentTimeMillis();
                    Thread publisher = new Thread(() ->
                            load.publish(topics.images(), corpus, scenario.events(), scenario.rate()), "load-generator");
                    publisher.start();
                    boolean complete = collector.await(scenario.events(), Duration.ofMinutes(5));
                    publisher.join();
                    double processCores = cpu.processCores();
                    double machineBusy = cpu.machineBusy();
                    double wallS = (collector.lastSeenMs() - startMs) / 1000.0;
                    Map<String, Object> row = summarize(scenario, collector, complete, wallS, processCores, machineBusy);
                    System.out.printf("%-14s batch<=%-3d rate %7.1f/s: %5d events %7.1f events/s, latency p50 %6.0f "
                                    + "p95 %6.0f p99 %6.0f max %6.0f ms, mean batch %5.1f, CPU %.2f cores (machine %.0f%%)%n",
                            scenario.name(), scenario.maxBatch(), scenario.rate(), scenario.events(),
                            row.get("throughput_events_per_s"), latency(row, "p50"), latency(row, "p95"),
                            latency(row, "p99"), latency(row, "max"), row.get("mean_batch_size"), processCores,
                            machineBusy * 100);
                    return row;
                } finally {
                    streams.close(Duration.ofSeconds(30));
                }
            }

            private static double latency(Map<String, Object> row, String key) {
                @SuppressWarnings("unchecked")
                Map<String, Double> latency = (Map<String, Double>) row.get("latency_ms");
                return latency.get(key);
            }

            private static Map<String, Object> summarize(Scenario scenario, ResultCollector collector, boolean complete,
                                                         double wallS, double processCores, double machineBusy) {
                int results = collector.latenciesMs().size();
                double batches = 0;
                for (var entry : collector.imagesByBatchSize().entrySet()) {
                    batches += entry.getValue() / (double) entry.getKey();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", scenario.name());
                row.put("max_batch", scenario.maxBatch());
                row.put("target_rate", scenario.rate());
                row.put("events", scenario.events());
                row.put("results", results);
                row.put("dead_letters", collector.deadLetters());
                row.put("complete", complete);
                row.put("wall_s", wallS);
                row.put("throughput_events_per_s", collector.outcomes() / wallS);
                row.put("latency_ms", Percentiles.of(collector.latenciesMs()).summary());
                row.put("images_by_batch_size", collector.imagesByBatchSize());
                row.put("mean_batch_size", batches == 0 ? 0 : results / batches);
                row.put("inference_ms_per_image", Percentiles.of(collector.inferenceMsPerImage()).mean());
                row.put("process_cpu_cores", processCores);
                row.put("machine_busy_fraction", machineBusy);
                row.put("process_cpu_ms_per_event", processCores * wallS * 1000 / Math.max(1, collector.outcomes()));
                return row;
            }
        }
    }
}
