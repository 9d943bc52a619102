package org.lesiontriage.triage.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.lesiontriage.triage.pipeline.PipelineAssembly;

/**
 * Liveness: DOWN when the pipeline has been stalled for {@code triage.health.liveness-timeout}, far longer than
 * readiness waits; by then recovery inside the process (thread replacement, retries, setting poison aside) has
 * had its chances, and a restart of the process is the remaining one.
 */
@Liveness
@ApplicationScoped
public class PipelineLiveness implements HealthCheck {

    @Inject
    PipelineProgressMonitor monitor;

    @Inject
    PipelineAssembly pipeline;

    @Override
    public HealthCheckResponse call() {
        InputProgress progress = monitor.progress();
        long limitMs = pipeline.config().health().livenessTimeout().toMillis();
        boolean stuck = progress.stalledForMs() > limitMs;
        return HealthCheckResponse.named("pipeline-recovers")
                .status(!stuck)
                .withData("stalledForMs", progress.stalledForMs())
                .withData("limitMs", limitMs)
                .build();
    }
}
