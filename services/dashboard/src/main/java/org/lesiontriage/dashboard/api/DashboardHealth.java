package org.lesiontriage.dashboard.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.lesiontriage.dashboard.ingest.TopicFollower;

/** Live while the topic reader runs; ready once it has read what the topics held at start. */
public final class DashboardHealth {

    private DashboardHealth() {
    }

    @Liveness
    @ApplicationScoped
    public static class ReaderRunning implements HealthCheck {
        @Inject
        TopicFollower follower;

        @Override
        public HealthCheckResponse call() {
            Throwable failure = follower.failure();
            return HealthCheckResponse.named("topic-reader").status(failure == null)
                    .withData("error", failure == null ? "" : failure.getClass().getSimpleName()).build();
        }
    }

    @Readiness
    @ApplicationScoped
    public static class CaughtUp implements HealthCheck {
        @Inject
        TopicFollower follower;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("caught-up").status(follower.caughtUp())
                    .withData("partitions-behind", follower.catchUpRemaining().size()).build();
        }
    }
}
