package org.lesiontriage.triage.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import org.lesiontriage.triage.pipeline.StreamThreadRecovery;
import org.lesiontriage.triage.topology.TriageComponents;

/**
 * Readiness that tells the truth: DOWN while input waits and nothing is committed for longer than
 * {@code triage.health.stall-timeout} (whatever the cause: a thread that keeps dying, a stuck partition, a registry
 * that does not answer), while the broker cannot be asked for as long, or while the model fails even on a blank
 * image; UP again as soon as it recovers. The data says which, with the lag and the stream thread replacements.
 */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {

    @Inject
    PipelineProgressMonitor monitor;

    @Inject
    PipelineAssembly pipeline;

    @Inject
    TriageComponents components;

    @Inject
    StreamThreadRecovery recovery;

    @Override
    public HealthCheckResponse call() {
        InputProgress progress = monitor.progress();
        long stallLimitMs = pipeline.config().health().stallTimeout().toMillis();
        long sinceModelFailedMs = System.currentTimeMillis() - components.metrics().lastUnsoundModelMs();
        String problem = null;
        if (progress.stalledForMs() > stallLimitMs) {
            problem = "input waits and nothing was committed for " + progress.stalledForMs() / 1000 + " s";
        } else if (progress.unreachableMs() > stallLimitMs) {
            problem = "the broker did not answer for " + progress.unreachableMs() / 1000 + " s";
        } else if (components.metrics().lastUnsoundModelMs() > 0 && sinceModelFailedMs < stallLimitMs) {
            problem = "the model failed on a blank image " + sinceModelFailedMs / 1000 + " s ago";
        }
        return HealthCheckResponse.named("pipeline-progress")
                .status(problem == null)
                .withData("problem", problem == null ? "none" : problem)
                .withData("lag", progress.lag())
                .withData("stalledForMs", progress.stalledForMs())
                .withData("streamThreadReplacements", recovery.replacements())
                .build();
    }
}
