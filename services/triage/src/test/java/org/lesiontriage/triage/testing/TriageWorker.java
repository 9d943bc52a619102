package org.lesiontriage.triage.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.config.TriageSettings;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import org.lesiontriage.triage.pipeline.StreamThreadRecovery;

/**
 * The triage topology in a JVM of its own, so a test can kill it with SIGKILL mid-stream.
 * Args: bootstrapServers registryUrl applicationId stateDir maxBatchSize maxDelayMs [instanceId]. With an instance
 * id it takes part in the model lifecycle as a service instance does (statuses, rollouts, versions by offset).
 */
public final class TriageWorker {

    private TriageWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", args[1]);
        BatchPolicy policy = TopologyHarness.policy(Integer.parseInt(args[4]), Long.parseLong(args[5]));
        String instance = args.length > 6 ? args[6] : null;
        Map<String, String> settings = new java.util.HashMap<>(Map.of("quarkus.kafka-streams.bootstrap-servers", args[0],
                "quarkus.kafka-streams.application-id", args[2], "triage.lifecycle.retirement-grace", "2s",
                "triage.lifecycle.retirement-interval", "1s", "triage.lifecycle.shadow-max-lag", "60s",
                "triage.lifecycle.cache-dir", Path.of(args[3]).resolve("models").toString()));
        if (instance != null) {
            settings.put("kafka-streams.client.id", instance);
        }
        PipelineAssembly pipeline = TopologyHarness.pipeline(serdeConfig, policy, ImageLimits.defaults(), settings);
        // The service's durable attempt ledger and thread recovery: crash tests restart this JVM.
        var attempts = pipeline.attemptLedger(args[2]);
        var components = instance == null
                ? pipeline.components(TestModel.classifier(), new SimpleMeterRegistry(), attempts)
                : pipeline.components(pipeline.startLifecycle(TestModel.classifier()).models(), new SimpleMeterRegistry(),
                        attempts);
        Properties props = streamsConfig(args[0], args[2], Path.of(args[3]));
        if (instance != null) {
            props.put(StreamsConfig.CLIENT_ID_CONFIG, instance); // the name its statuses are reported under
        }
        KafkaStreams streams = new KafkaStreams(pipeline.topology(components), props);
        streams.setUncaughtExceptionHandler(new StreamThreadRecovery());
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        running.await();
        System.out.println("WORKER RUNNING");
        Thread.currentThread().join();
    }

    /**
     * Starts a worker JVM with {@code jvmOptions} (e.g. a small heap), its output in {@code stateDir/worker.log}
     * (appended, so the log of a crash-looping worker tells its whole story).
     */
    public static Process start(TriageStack stack, String applicationId, Path stateDir, int maxBatch, long maxDelayMs,
                                String... jvmOptions) throws IOException {
        return startInstance(stack, applicationId, stateDir, maxBatch, maxDelayMs, null, jvmOptions);
    }

    /** A worker that is a service instance named {@code instance} in the model lifecycle (null: a fixed model). */
    public static Process startInstance(TriageStack stack, String applicationId, Path stateDir, int maxBatch,
                                        long maxDelayMs, String instance, String... jvmOptions) throws IOException {
        Files.createDirectories(stateDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        if (instance != null) {
            // An instance's own lines (prepare, switch, waits) and Kafka's warnings, as bin/rescore logs them.
            command.add("-Dorg.jboss.logging.provider=jdk"); // plain JUL: INFO and up on stderr, in worker.log
            command.add("-Djava.util.logging.SimpleFormatter.format=%1$tT %4$s [%3$s] %5$s%6$s%n");
        }
        command.addAll(List.of("-cp", PathingJar.create(stateDir, System.getProperty("java.class.path")).toString(),
                "-Dlesion.project.root=" + System.getProperty("lesion.project.root", ""),
                "-Dlesion.test.model.dir=" + TestModel.dir(),
                TriageWorker.class.getName(), stack.bootstrapServers(), stack.registryUrl(), applicationId,
                stateDir.toString(), Integer.toString(maxBatch), Long.toString(maxDelayMs)));
        if (instance != null) {
            command.add(instance);
        }
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve("worker.log").toFile())).start();
    }

    /** The service's stream settings, with a short session timeout: a killed member holds its partitions until then. */
    public static Properties streamsConfig(String bootstrapServers, String applicationId, Path stateDir) {
        PipelineAssembly pipeline = new PipelineAssembly(TriageSettings.load(
                Map.of("quarkus.kafka-streams.bootstrap-servers", bootstrapServers), Map.of()));
        Properties props = pipeline.streamsProperties(applicationId, stateDir);
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6000);
        props.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1000);
        return props;
    }
}
