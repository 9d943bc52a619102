package org.lesiontriage.triage.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.lesiontriage.contracts.TriagePriority;

/**
 * The service's metrics. Names as Prometheus shows them: triage_events_in_total, triage_results_total{priority},
 * triage_dead_letters_total{reason}, triage_batch_size, triage_inference_seconds, triage_queue_seconds,
 * triage_end_to_end_seconds (record timestamp to scored), triage_model_failures_total{model_answers_probe}.
 */
public final class TriageMetrics {

    private final MeterRegistry registry;
    private final Counter eventsIn;
    private final DistributionSummary batchSize;
    private final Timer inference;
    private final Timer queue;
    private final Timer endToEnd;
    private volatile long lastUnsoundModelMs;

    public TriageMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.eventsIn = Counter.builder("triage.events.in").description("Input records read").register(registry);
        this.batchSize = DistributionSummary.builder("triage.batch.size").description("Images per model run")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        this.inference = Timer.builder("triage.inference").description("Model run time per batch")
                .publishPercentileHistogram().register(registry);
        this.queue = Timer.builder("triage.queue").description("Time an image waited for its batch")
                .publishPercentileHistogram().register(registry);
        this.endToEnd = Timer.builder("triage.end.to.end").description("Input record timestamp to scored")
                .publishPercentileHistogram().register(registry);
        // Both at 0 from the start: an alert on increase() sees the first failure, which a series that appears
        // at 1 would hide (k8s/monitoring/prometheus-rule.yaml).
        modelFailures(true);
        modelFailures(false);
    }

    /** Where the meters live: the service's Prometheus registry, or a re-score job's own. */
    public MeterRegistry registry() {
        return registry;
    }

    public void eventIn() {
        eventsIn.increment();
    }

    public void result(TriagePriority priority, long queueMs, long endToEndMs) {
        registry.counter("triage.results", "priority", priority.name()).increment();
        queue.record(queueMs, TimeUnit.MILLISECONDS);
        endToEnd.record(Math.max(0, endToEndMs), TimeUnit.MILLISECONDS);
    }

    public void deadLetter(String reasonCode) {
        registry.counter("triage.dead.letters", "reason", reasonCode).increment();
    }

    /** A model run failed; {@code modelSound}: the model still answered a probe, so the batch is suspect. */
    public void modelFailure(boolean modelSound) {
        modelFailures(modelSound).increment();
        if (!modelSound) {
            lastUnsoundModelMs = System.currentTimeMillis();
        }
    }

    private Counter modelFailures(boolean modelSound) {
        return Counter.builder("triage.model.failures").description("Model runs that failed")
                .tag("model_answers_probe", String.valueOf(modelSound)).register(registry);
    }

    /** When the model last failed a probe (epoch ms, 0 if never): readiness reads it. */
    public long lastUnsoundModelMs() {
        return lastUnsoundModelMs;
    }

    public void batch(int size, long inferenceNanos) {
        batchSize.record(size);
        inference.record(inferenceNanos, TimeUnit.NANOSECONDS);
    }

    /** Results of the shadow version, by its version. */
    public void shadowResults(String version, int count) {
        Counter.builder("triage.shadow.results").description("Results of the shadow version, on the shadow topic")
                .tag("version", version).register(registry()).increment(count);
    }

    /** Live results the shadow version did not score, and why (lag: the input was behind the bound; not_ready). */
    public void shadowSkipped(String reason, int count) {
        Counter.builder("triage.shadow.skipped").description("Live results the shadow version did not score")
                .tag("reason", reason).register(registry()).increment(count);
    }
}
