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

    /** The service's stream settings that matter for correctness: exactly-once, frequent commits. */
    public static Properties streamsConfig(String bootstrapServers, String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.POLL_MS_CONFIG, 10);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // A killed member holds its partitions until its session times out: keep that short in tests.
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6000);
        props.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1000);
        return props;
    }
}
