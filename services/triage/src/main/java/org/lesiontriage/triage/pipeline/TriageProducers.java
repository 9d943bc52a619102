package org.lesiontriage.triage.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.config.TriageSettings;
import org.lesiontriage.triage.failures.AttemptLedger;
import java.util.Optional;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.lifecycle.ModelLifecycle;
import org.lesiontriage.triage.lifecycle.ScoringModels;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import org.lesiontriage.triage.rescore.RescoreSettings;
import org.lesiontriage.triage.topology.DeadLetterTopicLimit;
import org.lesiontriage.triage.topology.TriageComponents;

/**
 * Wires the Quarkus service from its configuration through {@link PipelineAssembly}, the same assembly
 * bin/rescore, the benchmarks and the tests use: the model (loaded once, at start), the components, the topology.
 */
@ApplicationScoped
public class TriageProducers {

    private static final Logger LOG = Logger.getLogger(TriageProducers.class);

    @Produces
    @Singleton
    PipelineAssembly pipeline(Config config) {
        return new PipelineAssembly(TriageSettings.from(config));
    }

    @Produces
    @Singleton
    LesionClassifier classifier(PipelineAssembly pipeline) {
        return pipeline.loadModel();
    }

    void close(@Disposes LesionClassifier classifier) {
        classifier.close();
    }

    /**
     * The model lifecycle, started before the topology: the rollout history read and the live version loaded before
     * any record is scored. Absent when {@code triage.lifecycle.enabled=false}.
     */
    @Produces
    @Singleton
    Optional<ModelLifecycle> lifecycle(PipelineAssembly pipeline, LesionClassifier classifier) throws InterruptedException {
        if (!pipeline.config().lifecycle().enabled()) {
            LOG.info("Model lifecycle off: the configured model scores every record");
            return Optional.empty();
        }
        return Optional.of(pipeline.startLifecycle(classifier));
    }

    void close(@Disposes Optional<ModelLifecycle> lifecycle) {
        lifecycle.ifPresent(ModelLifecycle::close);
    }

    @Produces
    @Singleton
    ScoringModels models(PipelineAssembly pipeline, LesionClassifier classifier, Optional<ModelLifecycle> lifecycle) {
        return lifecycle.<ScoringModels>map(ModelLifecycle::models)
                .orElseGet(() -> TriageComponents.fixedModel(classifier, pipeline.limits()));
    }

    @Produces
    @Singleton
    TriageComponents components(PipelineAssembly pipeline, ScoringModels models, MeterRegistry meters,
                                AttemptLedger attempts) {
        BatchPolicy batching = pipeline.batching();
        LOG.infof("Micro-batching: a batch runs at %d images or when its oldest waited %d ms; results committed %s; "
                        + "%d image decoding thread(s) beside the stream threads",
                batching.maxSize(), batching.maxDelay().toMillis(),
                batching.commitEachBatch() ? "with each batch" : "at the commit interval",
                pipeline.config().preprocess().threads());
        TriageComponents components = pipeline.components(models, meters, attempts);
        DeadLetterTopicLimit.apply(pipeline.kafkaClientConfig(), pipeline.config().topics().failures(),
                components.deadLetters());
        return components;
    }

    void close(@Disposes TriageComponents components) {
        components.preprocessing().close();
    }

    @Produces
    @Singleton
    AttemptLedger attemptLedger(PipelineAssembly pipeline) {
        return pipeline.attemptLedger(pipeline.settings().applicationId());
    }

    void close(@Disposes AttemptLedger ledger) {
        ledger.close();
    }

    @Produces
    Topology topology(PipelineAssembly pipeline, TriageComponents components) {
        return pipeline.topology(components);
    }

    /** Re-score jobs connect, score and refuse live topics as the configuration of the live service says. */
    @Produces
    @Singleton
    RescoreSettings replaySettings(PipelineAssembly pipeline) {
        return RescoreSettings.from(pipeline);
    }
}
