package org.lesiontriage.triage.rescore;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lesiontriage.triage.config.TriageSettings;
import org.lesiontriage.triage.inference.InferenceDevice;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/rescore}: replays a range of the image topic with a model version and reports. Its settings are the
 * service's ({@link TriageSettings}: application.properties, the {@code TRIAGE_*} variables), with the options
 * given here on top. Ctrl-C cancels the job (it resumes when started again with the same id).
 */
@Command(name = "bin/rescore", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Re-scores a range of the image topic with a model version, beside the live service.",
        footer = {"", "Everything else is the service's configuration: KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL and "
                + "the TRIAGE_* variables (image limits, batching, topic names, work folder) apply as they do to the "
                + "service.", "Exit status: 0 completed, 1 failed, 2 usage, 130 cancelled (start the same job again "
                + "to resume)."})
public final class RescoreCommand implements Callable<Integer> {

    static final int FAILED = 1;
    static final int CANCELLED = 130;

    @Option(names = "--job", required = true, description = "names the job; the same id resumes it after a crash or a cancel")
    String job;

    @Option(names = "--model", description = "folder with the model.onnx to score with (with --as-live: the version "
            + "before the first rollout; default the service's triage.model.dir)")
    Path model;

    @Option(names = "--as-live", description = "score each offset with the version that was live for it, as the "
            + "rollout history on triage-rollouts records (docs/model-lifecycle.md)")
    boolean asLive;

    @Option(names = "--from", defaultValue = "earliest", description = "first record: earliest (default), an ISO "
            + "instant such as 2026-11-01T00:00:00Z, or partition:offset pairs such as 0:1200,1:1180")
    String from;

    @Option(names = "--to", defaultValue = "latest", description = "end of the range, exclusive: latest (default, the "
            + "topic's end at the first start), an ISO instant or partition:offset pairs")
    String to;

    @Option(names = "--source", description = "image topic to replay (default: the service's, triage.topics.images)")
    String source;

    @Option(names = "--output", description = "results topic (default: triage-rescore-ID); created when missing")
    String output;

    @Option(names = "--failures", description = "dead-letter topic (default: OUTPUT-failures)")
    String failures;

    @Option(names = "--work-dir", description = "where jobs keep plan, state and report (default: the service's, "
            + "triage.rescore.work-dir)")
    Path workDir;

    @Option(names = "--batch-size", description = "images per model run (default: the service's, triage.batch.max-size)")
    Integer batchSize;

    @Option(names = "--max-delay-ms", description = "longest wait for a batch to fill (default: the service's)")
    Long maxDelayMs;

    @Option(names = "--threads", description = "ONNX Runtime intra-op threads (default: the service's)")
    Integer threads;

    @Option(names = "--device", description = "auto | cpu | cuda (default: the service's)")
    InferenceDevice device;

    @Option(names = "--kafka-config", description = "Kafka client properties (security.protocol, sasl.*, ssl.*) and "
            + "registry settings (schema.registry.*, basic.auth.*), for a secured cluster")
    Path kafkaConfig;

    public static void main(String[] args) {
        CommandLine line = new CommandLine(new RescoreCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        System.exit(line.execute(args));
    }

    /** The service's settings with this command's options on top, as a replay runs them. */
    RescoreSettings settings(Map<String, String> env) throws IOException {
        PipelineAssembly pipeline = new PipelineAssembly(TriageSettings.load(overrides(), env));
        RescoreSettings settings = RescoreSettings.from(pipeline);
        return workDir == null ? settings
                : new RescoreSettings(pipeline, workDir, settings.liveTopics(), settings.liveApplicationId());
    }

    RescoreRequest request(RescoreSettings settings) {
        String topic = source != null ? source : settings.pipeline().config().topics().images();
        if (model == null && !asLive) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give --model DIR, or --as-live");
        }
        Path modelDir = model != null ? model : Path.of(settings.pipeline().config().model().dir());
        return new RescoreRequest(job, topic, RangeBound.parse(from), RangeBound.parse(to), modelDir, output, failures,
                asLive);
    }

    /** Only what was given: an option left out keeps the service's setting. */
    Map<String, String> overrides() throws IOException {
        Map<String, String> settings = new HashMap<>();
        if (batchSize != null) {
            settings.put("triage.batch.max-size", batchSize.toString());
        }
        if (maxDelayMs != null) {
            settings.put("triage.batch.max-delay", maxDelayMs + "ms");
        }
        if (threads != null) {
            settings.put("triage.model.intra-op-threads", threads.toString());
        }
        if (device != null) {
            settings.put("triage.model.device", device.name().toLowerCase(Locale.ROOT));
        }
        if (kafkaConfig != null) {
            settings.putAll(TriageSettings.fromClientProperties(load(kafkaConfig)));
        }
        return settings;
    }

    @Override
    public Integer call() throws Exception {
        RescoreSettings settings = settings(System.getenv());
        RescoreJob replay = new RescoreJob(request(settings), settings);
        CompletableFuture<RescoreStatus> outcome = CompletableFuture.supplyAsync(replay::run);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!outcome.isDone()) {
                replay.cancel();
                outcome.completeOnTimeout(null, 70, TimeUnit.SECONDS).join();
            }
        }, "rescore-cancel"));
        RescoreStatus last = follow(replay, outcome, Boolean.getBoolean("lesion.tty"), System.err);
        if (last.state() != RescoreState.COMPLETED) {
            System.err.println("rescore: job " + last.jobId() + " " + last.state().name().toLowerCase(Locale.ROOT)
                    + ": " + last.message());
            return last.state() == RescoreState.CANCELLED ? CANCELLED : FAILED;
        }
        System.out.println(table(last.report()));
        return CommandLine.ExitCode.OK;
    }

    /** Progress on stderr until the job ends: a live line on a terminal, a line per tenth otherwise. */
    private static RescoreStatus follow(RescoreJob replay, CompletableFuture<RescoreStatus> outcome, boolean tty,
                                       PrintStream err) throws InterruptedException {
        int lastTenth = -1;
        while (!outcome.isDone()) {
            Thread.sleep(tty ? 200 : 1000);
            RescoreStatus now = replay.status();
            int tenth = (int) (now.fraction() * 10);
            if (tty) {
                err.print("\r" + now.progressLine() + "   ");
            } else if (now.state() == RescoreState.REPLAYING && tenth != lastTenth) {
                lastTenth = tenth;
                err.println(now.progressLine());
            }
        }
        if (tty) {
            err.println();
        }
        return outcome.join();
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    static String table(RescoreReport report) {
        return String.format(Locale.ROOT, """
                | re-score job %s | |
                |---|---|
                | model | %s %s (threshold %.4f) |
                | replayed | %s -> %s (dead letters: %s) |
                | events in range | %d%s |
                | answered by this run | %d results, %d dead letters%s |
                | replay time | %.1f s |
                | throughput | %.1f events/s |
                | mean batch size | %.1f |""",
                report.jobId(), report.modelName(), report.modelVersion(), report.threshold(), report.sourceTopic(),
                report.resultsTopic(), report.failuresTopic(), report.eventsInRange(),
                report.lostToRetention() > 0 ? " (" + report.lostToRetention() + " deleted by retention before the replay read them)" : "",
                report.resultsThisRun(),
                report.deadLettersThisRun(), report.resumed() ? " (resumed: earlier runs answered the rest)" : "",
                report.replaySeconds(), report.eventsPerSecond(), report.meanBatchSize());
    }
}
