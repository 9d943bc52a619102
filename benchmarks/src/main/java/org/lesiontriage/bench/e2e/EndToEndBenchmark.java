package org.lesiontriage.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.lesiontriage.bench.common.BenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.lesiontriage.bench.common.CpuClock;
import org.lesiontriage.bench.common.JsonReport;
import org.lesiontriage.bench.common.ProcCpu;
import org.lesiontriage.bench.common.ServedSettings;
import org.lesiontriage.common.metrics.Percentiles;
import org.lesiontriage.bench.inference.ServiceClassifierRunner;
import org.lesiontriage.bench.inference.TimedLoop;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.inference.ModelDescriptor;
import org.lesiontriage.triage.topology.TriageTopics;

/**
 * The service end to end: real broker, real registry, the real topology under exactly-once. Runs, in order:
 * a warm-up, saturation (events published as fast as the producer goes, max batch as served), the same with
 * max batch 1 (per-record inference), then fixed rates at fractions of the measured saturation, those of
 * {@code --shadow-fractions} each followed by the same rate with a shadow model scoring every batch
 * ({@link ShadowModels}; the shadow's results are counted on its topic, {@link ShadowResults}). Also measures,
 * in the same JVM with the same thread budget, the raw model ceiling and the per-stage costs. Each scenario's
 * CPU is split by thread group ({@link CpuGroup}, from /proc) and the registry's process is read too.
 *
 * <p>The report has the run's label, every option's value ("settings"), and one row per scenario with the
 * scenario's own settings and its measurements; a new option shows up in the report without more code here.
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
        @Option(names = "--threads", description = "ONNX Runtime intra-op threads (default: as served)")
        Integer threads;
        @Option(names = "--max-batch", description = "default: as served")
        Integer maxBatch;
        @Option(names = "--partitions", description = "as bin/stack creates them")
        int partitions = 3;
        @Option(names = "--events")
        int events = 3000;
        @Option(names = "--per-record-events", description = "default: half of --events")
        Integer perRecordEvents;
        @Option(names = "--warmup-events")
        int warmupEvents = 300;
        @Option(names = "--stream-threads", description = "default: as served")
        Integer streamThreads;
        @Option(names = "--max-delay-ms", description = "longest wait of a partial batch (default: as served)")
        Integer maxDelayMs;
        /** Without a commit per batch, results become visible at each commit, which then sets the latency floor. */
        @Option(names = "--commit-interval-ms", description = "default: as served")
        Integer commitIntervalMs;
        /** The service turns ONNX Runtime's spin-waiting off; --ort-spin true measures its default. */
        @Option(names = "--preprocess-threads", description = "image decoding threads beside the stream thread (served: 1; 0 = on the stream thread)")
        Integer preprocessThreads;
        @Option(names = "--commit-each-batch", arity = "1", description = "commit each batch's results at once (served: true)")
        Boolean commitEachBatch;
        @Option(names = "--processing-guarantee", description = "exactly_once_v2 (served) or at_least_once")
        String processingGuarantee;
        @Option(names = "--set", description = "any other service setting to try, KEY=VALUE (triage.*, kafka-streams.*); repeatable")
        Map<String, String> set = new LinkedHashMap<>();
        @Option(names = "--broker-set", description = "a setting of the benchmark's broker to try instead of the local "
                + "stack's, KEY=VALUE; repeatable")
        Map<String, String> brokerSet = new LinkedHashMap<>();
        @Option(names = "--ort-spin", arity = "1")
        boolean spinWait;
        @Option(names = "--rate-fractions", split = ",")
        List<Double> rateFractions = List.of(0.25, 0.5, 0.75);
        @Option(names = "--rate-seconds")
        double rateSeconds = 20;
        @Option(names = "--rate-warmup-seconds", description = "unmeasured load at half of saturation before the fixed "
                + "rates: the JIT is still compiling the light-load paths of broker and clients for a minute or more")
        double rateWarmupSeconds = 0;
        /**
         * Each of these fixed rates runs a second time right after itself as served, with a shadow model scoring
         * every batch (its results on the shadow topic): the live path with and without a shadow at the same load.
         */
        @Option(names = "--shadow-fractions", split = ",", description = "fixed rates (of --rate-fractions) to run "
                + "again with a shadow model scoring every batch, right after the same rate as served")
        List<Double> shadowFractions = List.of();
        @Option(names = "--shadow-model-dir", description = "the shadow model (default: --model-dir loaded a second "
                + "time, under its version with '-shadow': one more model run of the same cost per batch)")
        Path shadowModelDir;
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

        /** Options left out take the service's value, so that the report shows what ran. */
        void fillInServed(ServedSettings served) {
            threads = Objects.requireNonNullElse(threads, served.intraOpThreads());
            maxBatch = Objects.requireNonNullElse(maxBatch, served.maxBatch());
            streamThreads = Objects.requireNonNullElse(streamThreads, served.streamThreads());
            maxDelayMs = Objects.requireNonNullElse(maxDelayMs, Math.toIntExact(served.maxDelay().toMillis()));
            commitIntervalMs = Objects.requireNonNullElse(commitIntervalMs, served.commitIntervalMs());
        }

        /** The shadow's model folder: --shadow-model-dir, else the live model's, when a rate runs with a shadow. */
        Path shadowModelDir() {
            return shadowFractions.isEmpty() ? null : Objects.requireNonNullElse(shadowModelDir, modelDir());
        }

        /** A shadow rate is compared with the same rate as served, so it must be one of the rates that run. */
        void validate() {
            for (double fraction : shadowFractions) {
                if (!rateFractions.contains(fraction)) {
                    throw new IllegalArgumentException("--shadow-fractions " + fraction + " is not one of "
                            + "--rate-fractions " + rateFractions + ": a shadow rate runs right after the same rate "
                            + "as served");
                }
            }
        }

        /** The service settings this run tries instead of the served ones (none: as served). */
        Map<String, String> triedSettings() {
            Map<String, String> tried = new LinkedHashMap<>();
            if (preprocessThreads != null) {
                tried.put("triage.preprocess.threads", preprocessThreads.toString());
            }
            if (commitEachBatch != null) {
                tried.put("triage.batch.commit-each-batch", commitEachBatch.toString());
            }
            if (processingGuarantee != null) {
                tried.put("kafka-streams.processing.guarantee", processingGuarantee);
            }
            tried.putAll(set);
            return tried;
        }
    }

    static void run(Options options) throws Exception {
        Path modelDir = options.modelDir();
        options.validate();
        options.fillInServed(ServedSettings.read());
        options.shadowModelDir = options.shadowModelDir();
        int threads = options.threads;
        int maxBatch = options.maxBatch;
        int streamThreads = options.streamThreads;
        int commitIntervalMs = options.commitIntervalMs;
        int events = options.events;
        Duration maxDelay = Duration.ofMillis(options.maxDelayMs);
        Map<String, Object> report = new LinkedHashMap<>();
        List<Map<String, Object>> scenarios = new ArrayList<>();
        ProcCpu proc = new ProcCpu();
        ThreadClassifier threadGroups = new ThreadClassifier(proc);
        threadGroups.tagCurrentThread(CpuGroup.LOAD_GENERATOR); // main drives the load and reads the results

        InferenceOptions inference = InferenceOptions.cpu(threads).withSpinWait(options.spinWait);
        try (BenchStack stack = BenchStack.start(threadGroups, options.brokerSet);
             ServiceClassifierRunner model = new ServiceClassifierRunner(loadClassifier(threadGroups, modelDir,
                     inference), maxBatch);
             // a session of its own, as the service loads each version: its intra-op threads beside the live one's
             LesionClassifier shadow = options.shadowModelDir == null ? null
                     : loadClassifier(threadGroups, options.shadowModelDir, inference);
             LoadGenerator load = threadGroups.tagNewThreads(CpuGroup.LOAD_GENERATOR,
                     () -> new LoadGenerator(stack.bootstrapServers()))) {
            EventCorpus corpus = EventCorpus.load(options.images, options.corpusLimit, stack.serdeConfig());
            System.out.printf("Corpus: %s, mean event %.1f KiB; settings %s%n", corpus.source(),
                    corpus.meanValueBytes() / 1024, options.settings());

            TimedLoop.Result ceiling = new TimedLoop(0.5, options.ceilingSeconds, 3).measure(model, maxBatch);
            System.out.printf("Raw inference ceiling at batch %d, %d threads: %.1f images/s%n", maxBatch, threads,
                    ceiling.imagesPerSecond());

            Scenario.Runner runner = new Scenario.Runner(stack, load, corpus, model, shadow,
                    options.shadowModelDir == null ? null : options.shadowModelDir.toString(), options.partitions,
                    streamThreads, maxDelay, commitIntervalMs, options.triedSettings(), threadGroups,
                    new ThreadCpuMeter(proc, threadGroups, stack.registryPid()));
            runner.run(new Scenario("warm-up", maxBatch, 0, options.warmupEvents, null));
            Map<String, Object> saturation = runner.run(new Scenario("saturation", maxBatch, 0, events, null));
            scenarios.add(saturation);
            int perRecordEvents = options.perRecordEvents != null ? options.perRecordEvents : events / 2;
            if (perRecordEvents > 0) {
                scenarios.add(runner.run(new Scenario("per-record", 1, 0, perRecordEvents, null)));
            }
            double saturated = (double) saturation.get("throughput_events_per_s");
            if (options.rateWarmupSeconds > 0 && !options.rateFractions.isEmpty()) {
                runner.run(new Scenario("rate-warm-up", maxBatch, saturated / 2,
                        (int) Math.max(20, saturated / 2 * options.rateWarmupSeconds), 0.5));
            }
            if (!options.shadowFractions.isEmpty()) {
                // the shadow's own paths (its session at the batch sizes this load makes, its sink) before it is timed
                runner.run(new Scenario("shadow-warm-up", maxBatch, saturated / 2,
                        (int) Math.max(20, saturated / 2 * Math.min(10, options.rateWarmupSeconds)), 0.5, true));
            }
            for (double fraction : options.rateFractions) {
                double rate = fraction * saturated;
                int count = (int) Math.max(20, rate * options.rateSeconds);
                String pct = Math.round(fraction * 100) + "pct";
                scenarios.add(runner.run(new Scenario("rate-" + pct, maxBatch, rate, count, fraction)));
                if (options.shadowFractions.contains(fraction)) {
                    scenarios.add(runner.run(new Scenario("shadow-" + pct, maxBatch, rate, count, fraction, true)));
                }
            }

            var components = TriagePipeline.components(model.classifier(),
                    new BatchPolicy(maxBatch, maxDelay),
                    stack.serdeConfig());
            Map<String, Double> stages = StageProfile.measure(corpus, components, model.classifier(), maxBatch,
                    stack.serdeConfig(), options.stageSeconds);
            stages.forEach((stage, ms) -> System.out.printf("Stage %-24s %8.3f ms/image%n", stage, ms));
            // the stage profile measures the live model only: a shadow row's work would leave its model run out
            PipelineEfficiency.annotate(scenarios.stream().filter(row -> !row.containsKey("shadow")).toList(),
                    PipelineEfficiency.workCpuMsPerEvent(stages, threads));

            ModelDescriptor descriptor = model.classifier().descriptor();
            report.put("label", options.label);
            report.put("settings", options.settings());
            report.put("model", Map.of("name", descriptor.name(), "version", descriptor.version(),
                    "sha256", descriptor.sha256(), "dir", modelDir.toString()));
            report.put("corpus", corpus.source());
            report.put("mean_event_bytes", corpus.meanValueBytes());
            report.put("raw_ceiling", ceiling);
            report.put("cpu_groups", Arrays.stream(CpuGroup.values()).map(CpuGroup::key).toList());
            report.put("service_cpu_groups", CpuGroup.SERVICE.stream().map(CpuGroup::key).toList());
            report.put("scenarios", scenarios);
            report.put("stage_ms_per_image", stages);
        }
        JsonReport.write(options.out(), report);
    }

    /**
     * Loads the model on a thread of its own name: ONNX Runtime's intra-op pool threads are native and inherit
     * their creator's name, so they are recognisable as long as no other thread creates them. One inference
     * there too, in case a pool starts its threads on first use.
     */
    private static LesionClassifier loadClassifier(ThreadClassifier threadGroups, Path modelDir,
                                                   InferenceOptions options) throws Exception {
        return threadGroups.tagNewThreads(CpuGroup.ONNXRUNTIME, () -> {
            CompletableFuture<LesionClassifier> loaded = new CompletableFuture<>();
            // 8 MiB of stack: ONNX Runtime's native library needs more than 4 MiB on the thread that loads it.
            Thread loader = new Thread(null, () -> {
                try {
                    LesionClassifier classifier = LesionClassifier.load(modelDir, options);
                    classifier.classify(classifier.newBatchBuffer(1), 1);
                    loaded.complete(classifier);
                } catch (Throwable e) {
                    loaded.completeExceptionally(e);
                }
            }, ThreadClassifier.ONNXRUNTIME_THREAD, 8L << 20);
            loader.start();
            return loaded.get();
        });
    }

    /**
     * One load pattern: a max batch size, a rate (0 = as fast as the producer goes), a number of events, for
     * the fixed rates the fraction of saturation it is (null otherwise), and whether a shadow model scores every
     * batch beside the live one.
     */
    record Scenario(String name, int maxBatch, double rate, int events, Double loadFraction, boolean withShadow) {

        Scenario(String name, int maxBatch, double rate, int events, Double loadFraction) {
            this(name, maxBatch, rate, events, loadFraction, false);
        }

        /** The scenario's own settings, as its row in the report shows them. */
        Map<String, Object> settings() {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("max_batch", maxBatch);
            settings.put("offered_events_per_s", rate);
            settings.put("events", events);
            if (loadFraction != null) {
                settings.put("load_fraction", loadFraction);
            }
            if (withShadow) {
                settings.put("shadow", true);
            }
            return settings;
        }

        /**
         * Runs scenarios one after another, each on fresh topics and a fresh application id.
         *
         * @param shadow the model a shadow scenario scores every batch with as well (null: no shadow scenarios)
         */
        record Runner(BenchStack stack, LoadGenerator load, EventCorpus corpus, ServiceClassifierRunner model,
                      LesionClassifier shadow, String shadowModelDir, int partitions, int streamThreads,
                      Duration maxDelay, int commitIntervalMs, Map<String, String> triedSettings,
                      ThreadClassifier threadGroups, ThreadCpuMeter cpuMeter) {

            Map<String, Object> run(Scenario scenario) throws Exception {
                String id = "bench-" + scenario.name() + "-" + System.nanoTime();
                TriageTopics topics = stack.createTopics(id, partitions);
                if (scenario.withShadow() && shadow == null) {
                    throw new IllegalStateException(scenario.name() + " needs a shadow model");
                }
                MeterRegistry meters = new SimpleMeterRegistry();
                KafkaStreams streams = threadGroups.tagNewThreads(CpuGroup.STREAMS_CLIENTS, () ->
                        TriagePipeline.start(stack, topics, model.classifier(), scenario.withShadow() ? shadow : null,
                                new BatchPolicy(scenario.maxBatch(), maxDelay), streamThreads, commitIntervalMs,
                                triedSettings, meters, id));
                try (ResultCollector collector = new ResultCollector(stack.bootstrapServers(), topics,
                        stack.serdeConfig())) {
                    threadGroups.tagNewThreads(CpuGroup.LOAD_GENERATOR, () -> {
                        collector.awaitAssignment(Duration.ofSeconds(30)); // starts the consumer's heartbeat thread
                        return null;
                    });
                    CpuClock cpu = new CpuClock();
                    ThreadCpuMeter.Reading cpuBefore = cpuMeter.read();
                    long startMs = System.currentTimeMillis();
                    Thread publisher = new Thread(() -> load.publish(topics.images(), corpus, scenario.events(),
                            scenario.rate()), ThreadClassifier.LOAD_THREAD);
                    publisher.start();
                    boolean complete = collector.await(scenario.events(), Duration.ofMinutes(5));
                    publisher.join();
                    CpuBreakdown used = cpuMeter.between(cpuBefore, cpuMeter.read());
                    double processCores = cpu.processCores();
                    double machineBusy = cpu.machineBusy();
                    double wallS = (collector.lastSeenMs() - startMs) / 1000.0;
                    Map<String, Object> row = summarize(scenario, collector, complete, wallS, processCores, machineBusy,
                            used);
                    Map<String, Double> threadTime = StreamThreadTime.of(streams);
                    row.put("stream_thread_time", threadTime);
                    System.out.printf("%-14s stream thread: %s%n", scenario.name(), threadTime);
                    Map<String, Object> changelog = ChangelogTraffic.of(stack.bootstrapServers(), id,
                            collector.outcomes());
                    row.put("changelog", changelog);
                    System.out.printf("%-14s changelog: %s%n", scenario.name(), changelog);
                    if (scenario.withShadow()) {
                        Map<String, Object> shadowRow = threadGroups.tagNewThreads(CpuGroup.LOAD_GENERATOR, () ->
                                ShadowResults.of(stack.bootstrapServers(), topics.shadowResults(),
                                        ShadowModels.keyOf(model.classifier().descriptor(), shadow.descriptor()),
                                        shadowModelDir, meters, collector.latenciesMs().size()));
                        row.put("shadow", shadowRow);
                        System.out.printf("%-14s shadow: %s%n", scenario.name(), shadowRow);
                        if ((long) shadowRow.get("results_on_topic") == 0) {
                            // a shadow that scored nothing would make this row the live path alone under another name
                            throw new IllegalStateException(scenario.name() + ": the shadow model produced no results "
                                    + "on " + topics.shadowResults() + " (" + shadowRow + ")");
                        }
                    }
                    System.out.printf("%-14s latency p99 by part: sent to read %.0f, read to scored %.0f, scored to "
                                    + "visible %.0f ms%n", scenario.name(), part(row, "sent_to_read"),
                            part(row, "read_to_scored"), part(row, "scored_to_visible"));
                    System.out.printf("%-14s batch<=%-3d rate %7.1f/s: %5d events %7.1f events/s, latency p50 %6.0f "
                                    + "p95 %6.0f p99 %6.0f max %6.0f ms, mean batch %5.1f, CPU %.2f cores (machine %.0f%%), "
                                    + "service %.1f ms/event%n",
                            scenario.name(), scenario.maxBatch(), scenario.rate(), scenario.events(),
                            row.get("throughput_events_per_s"), latency(row, "p50"), latency(row, "p95"),
                            latency(row, "p99"), latency(row, "max"), row.get("mean_batch_size"), processCores,
                            machineBusy * 100, row.get("service_cpu_ms_per_event"));
                    return row;
                } finally {
                    streams.close(Duration.ofSeconds(30));
                }
            }

            @SuppressWarnings("unchecked")
            private static double part(Map<String, Object> row, String part) {
                var parts = (Map<String, Map<String, Double>>) row.get("latency_parts_ms");
                return parts.get(part).getOrDefault("p99", Double.NaN);
            }

            private static double latency(Map<String, Object> row, String key) {
                @SuppressWarnings("unchecked")
                Map<String, Double> latency = (Map<String, Double>) row.get("latency_ms");
                return latency.get(key);
            }

            private static Map<String, Object> summarize(Scenario scenario, ResultCollector collector, boolean complete,
                                                         double wallS, double processCores, double machineBusy,
                                                         CpuBreakdown cpu) {
                int results = collector.latenciesMs().size();
                double batches = 0;
                for (var entry : collector.imagesByBatchSize().entrySet()) {
                    batches += entry.getValue() / (double) entry.getKey();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", scenario.name());
                row.put("settings", scenario.settings());
                row.put("results", results);
                row.put("dead_letters", collector.deadLetters());
                row.put("complete", complete);
                row.put("wall_s", wallS);
                row.put("throughput_events_per_s", collector.outcomes() / wallS);
                row.put("latency_ms", Percentiles.of(collector.latenciesMs()).summary());
                Map<String, Object> parts = new LinkedHashMap<>();
                collector.latencyPartsMs().forEach((part, ms) -> parts.put(part, Percentiles.of(ms).summary()));
                row.put("latency_parts_ms", parts);
                row.put("images_by_batch_size", collector.imagesByBatchSize());
                row.put("mean_batch_size", batches == 0 ? 0 : results / batches);
                row.put("inference_ms_per_image", Percentiles.of(collector.inferenceMsPerImage()).mean());
                row.put("process_cpu_cores", processCores);
                row.put("machine_busy_fraction", machineBusy);
                row.put("process_cpu_ms_per_event", processCores * wallS * 1000 / Math.max(1, collector.outcomes()));
                row.put("cpu_ms_per_event", cpu.perEvent(collector.outcomes()));
                row.put("service_cpu_ms_per_event", cpu.serviceMs() / Math.max(1, collector.outcomes()));
                row.put("busiest_threads", cpu.busiest());
                return row;
            }
        }
    }
}
