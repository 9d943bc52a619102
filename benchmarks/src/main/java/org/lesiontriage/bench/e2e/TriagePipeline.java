package org.lesiontriage.bench.e2e;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.lesiontriage.triage.topology.StreamSettings;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.topology.TriageComponents;
import org.lesiontriage.triage.topology.TriageTopics;
import org.lesiontriage.triage.topology.TriageTopologyFactory;

/**
 * The service's topology in a KafkaStreams instance with the service's stream settings (application.properties):
 * exactly_once_v2, commit every 100 ms, poll 10 ms, one stream thread unless told otherwise, 16 MiB fetches, lz4 outputs.
 */
final class TriagePipeline {

    private TriagePipeline() {
    }

    static TriageComponents components(LesionClassifier classifier, BatchPolicy policy, Map<String, ?> serdeConfig) {
        return TriageComponents.assemble(classifier, ImageLimits.defaults(), policy, serdeConfig, new SimpleMeterRegistry());
    }

    static KafkaStreams start(BenchStack stack, TriageTopics topics, LesionClassifier classifier, BatchPolicy policy,
                              int streamThreads, int commitIntervalMs, String applicationId) throws InterruptedException {
        var components = components(classifier, policy, stack.serdeConfig());
        KafkaStreams streams = new KafkaStreams(TriageTopologyFactory.build(topics, components, stack.serdeConfig()),
                streamsConfig(stack.bootstrapServers(), applicationId, stack.workDir().resolve(applicationId),
                        streamThreads, commitIntervalMs));
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        if (!running.await(60, TimeUnit.SECONDS)) {
            streams.close();
            throw new IllegalStateException("The triage topology did not reach RUNNING in 60 s");
        }
        return streams;
    }

    static Properties streamsConfig(String bootstrapServers, String applicationId, Path stateDir, int streamThreads,
                                    int commitIntervalMs) {
        Properties props = StreamSettings.asServed(bootstrapServers, applicationId, stateDir);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        return props;
    }
}
