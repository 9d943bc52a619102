package org.lesiontriage.triage.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import org.lesiontriage.triage.pipeline.TriageSettings;

/**
 * The triage topology in a JVM of its own, so a test can kill it with SIGKILL mid-stream.
 * Args: bootstrapServers registryUrl applicationId stateDir maxBatchSize maxDelayMs.
 */
public final class TriageWorker {

    private TriageWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", args[1]);
        BatchPolicy policy = TopologyHarness.policy(Integer.parseInt(args[4]), Long.parseLong(args[5]));
        var components = TopologyHarness.components(serdeConfig, policy, ImageLimits.defaults(), new SimpleMeterRegistry());
        KafkaStreams streams = new KafkaStreams(TopologyHarness.topology(components, serdeConfig),
                streamsConfig(args[0], args[2], Path.of(args[3])));
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
