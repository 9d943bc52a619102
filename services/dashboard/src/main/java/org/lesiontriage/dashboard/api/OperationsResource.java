package org.lesiontriage.dashboard.api;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.lesiontriage.dashboard.config.DashboardConfig;
import org.lesiontriage.dashboard.ingest.TopicFollower;
import org.lesiontriage.dashboard.operations.PipelineStats;
import org.lesiontriage.dashboard.operations.ServiceMetrics;
import org.lesiontriage.dashboard.queue.WorkingSet;
import org.lesiontriage.dashboard.rollout.ComparisonWindow;
import org.lesiontriage.dashboard.rollout.RolloutView;
import org.lesiontriage.dashboard.rollout.RolloutWatch;

/**
 * The operator's view: the pipeline from the topics and from the service's metrics, and this instance's state; and
 * the model rollout (versions in effect, the canary's clinics, the shadow beside the live results over a window).
 */
@Path("/api/operations")
@RolesAllowed(Roles.OPERATOR)
public class OperationsResource {

    /** How often the operator view is pushed (rates change every second anyway). */
    static final Duration PUSH_EVERY = Duration.ofSeconds(2);

    /** This instance: how much it holds and whether it has caught up with the topics. */
    public record InstanceState(String group, boolean caughtUp, int partitionsBehind, int resultsHeld, int reviewsRemembered,
                                long openDropped, long heapUsedBytes, long heapMaxBytes, RolloutView.Held comparison) {
    }

    /** One push of the operator view. */
    public record OperationsView(long nowMs, PipelineStats.Snapshot topics, ServiceMetrics.Snapshot service,
                                 InstanceState instance) {
    }

    @Inject
    PipelineStats stats;

    @Inject
    ServiceMetrics serviceMetrics;

    @Inject
    TopicFollower follower;

    @Inject
    WorkingSet workingSet;

    @Inject
    RolloutWatch rollouts;

    @Inject
    DashboardConfig config;

    @GET
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public OperationsView view() {
        long now = System.currentTimeMillis();
        Runtime runtime = Runtime.getRuntime();
        InstanceState instance = new InstanceState(follower.groupId(), follower.caughtUp(),
                follower.catchUpRemaining().size(), workingSet.size(),
                workingSet.reviewsRemembered(), workingSet.openDropped(), runtime.totalMemory() - runtime.freeMemory(),
                runtime.maxMemory(), rollouts.held());
        return new OperationsView(now, stats.snapshot(now), serviceMetrics.snapshot(), instance);
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<OperationsView> stream() {
        AtomicLong tick = new AtomicLong();
        return Streams.onChange(PUSH_EVERY, config.streamMaxAge(), tick::incrementAndGet, this::view);
    }

    /** The model rollout, and the shadow beside the live results over {@code window} (1h, 24h or 7d; default 24h). */
    @GET
    @Path("/rollout")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public RolloutView rollout(@QueryParam("window") String window) {
        return rollouts.view(window(window), System.currentTimeMillis());
    }

    @GET
    @Path("/rollout/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<RolloutView> rolloutStream(@QueryParam("window") String window) {
        ComparisonWindow picked = window(window);
        return Streams.onChange(PUSH_EVERY, config.streamMaxAge(), rollouts::version,
                () -> rollouts.view(picked, System.currentTimeMillis()));
    }

    private static ComparisonWindow window(String value) {
        return ComparisonWindow.parse(value).orElseThrow(() -> new WebApplicationException(
                Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN)
                        .entity("window is one of 1h, 24h, 7d").build()));
    }
}
