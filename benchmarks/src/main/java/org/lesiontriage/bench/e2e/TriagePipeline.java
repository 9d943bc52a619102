package org.lesiontriage.bench.e2e;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.config.TriageSettings;
import org.lesiontriage.triage.failures.InMemoryAttemptLedger;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.lifecycle.ScoringModels;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import org.lesiontriage.triage.topology.OffsetWindow;
import org.lesiontriage.triage.topology.TriageComponents;
import org.lesiontriage.triage.topology.TriageTopics;

/**
 * The service's topology in a KafkaStreams instance with the service's stream settings (its application.properties),
 * except for the stream threads and commit interval the benchmark sets (as served unless told otherwise).
 */
final class TriagePipeline {

    private TriagePipeline() {
    }

    /** The service's pipeline against the bench stack, with the batch policy under test. */
    static PipelineAssembly pipeline(String bootstrapServers, Map<String, ?> serdeConfig, BatchPolicy policy) {
        return pipeline(bootstrapServers, serdeConfig, policy, Map.of());
    }

    /** @param tried settings under test ({@code triage.*}, {@code kafka-streams.*}), winning over the service's */
    static PipelineAssembly pipeline(String bootstrapServers, Map<String, ?> serdeConfig, BatchPolicy policy,
                                     Map<String, String> tried) {
        Map<String, String> settings = new HashMap<>(tried);
        settings.put("quarkus.kafka-streams.bootstrap-servers", bootstrapServers);
        settings.put("triage.schema-registry.url", String.valueOf(serdeConfig.get("schema.registry.url")));
        settings.put("triage.batch.max-size", Integer.toString(policy.maxSize()));
        settings.put("triage.batch.max-delay", policy.maxDelay().toMillis() + "ms");
        return new PipelineAssembly(TriageSettings.load(settings, Map.of()));
    }

    static TriageComponents components(LesionClassifier classifier, BatchPolicy policy, Map<String, ?> serdeConfig) {
        return pipeline("unused:9092", serdeConfig, policy).components(classifier, new SimpleMeterRegistry(),
                new InMemoryAttemptLedger());
    }

    /**
     * @param shadow a second model that also scores every batch, its results on {@code topics.shadowResults()}
     *               ({@link ShadowModels}); null for none, as served
     * @param meters where the service's metrics go (the shadow's counters are read from it)
     */
    static KafkaStreams start(BenchStack stack, TriageTopics topics, LesionClassifier classifier,
                              LesionClassifier shadow, BatchPolicy policy, int streamThreads, int commitIntervalMs,
                              Map<String, String> tried, MeterRegistry meters,
                              String applicationId) throws InterruptedException {
        PipelineAssembly pipeline = pipeline(stack.bootstrapServers(), stack.serdeConfig(), policy, tried);
        ScoringModels models = shadow == null ? TriageComponents.fixedModel(classifier, pipeline.limits())
                : ShadowModels.of(classifier, shadow, pipeline.limits());
        // The in-memory ledger: a benchmark never restarts its process, and the ledger costs nothing until a failure.
        var components = pipeline.components(models, meters, new InMemoryAttemptLedger());
        KafkaStreams streams = new KafkaStreams(pipeline.topology(topics, components, OffsetWindow.ALL),
                streamsConfig(pipeline, applicationId, stack.workDir().resolve(applicationId),
                        streamThreads, commitIntervalMs));
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            } else if (now == KafkaStreams.State.NOT_RUNNING) {
                components.preprocessing().close(); // each scenario has its own pipeline; its decoding threads end with it
            }
        });
        streams.start();
        if (!running.await(60, TimeUnit.SECONDS)) {
            streams.close();
            throw new IllegalStateException("The triage topology did not reach RUNNING in 60 s");
        }
        return streams;
    }

    static Properties streamsConfig(PipelineAssembly pipeline, String applicationId, Path stateDir, int streamThreads,
                                    int commitIntervalMs) {
        Properties props = pipeline.streamsProperties(applicationId, stateDir);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        // A short client id, so that the stream threads' names stay recognisable in the 15 characters Linux keeps.
        props.put(StreamsConfig.CLIENT_ID_CONFIG, ThreadClassifier.STREAMS_CLIENT_ID);
        return props;
    }
}
