package org.lesiontriage.dashboard.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.lesiontriage.dashboard.images.ThumbnailCache;
import org.lesiontriage.dashboard.operations.PipelineStats;
import org.lesiontriage.dashboard.operations.ServiceMetrics;
import org.lesiontriage.dashboard.queue.WorkingSet;
import org.lesiontriage.dashboard.rollout.RolloutWatch;

/** The dashboard's state, sized from its settings. */
public class DashboardBeans {

    @Produces
    @ApplicationScoped
    ThumbnailCache thumbnailCache(DashboardConfig config) {
        return new ThumbnailCache(config.thumbnails().cache());
    }

    @Produces
    @ApplicationScoped
    WorkingSet workingSet(DashboardConfig config, ThumbnailCache thumbnails) {
        DashboardConfig.WorkingSet sizes = config.workingSet();
        return new WorkingSet(sizes.recent(), sizes.openCap(), sizes.reviews(), thumbnails::remove);
    }

    @Produces
    @ApplicationScoped
    PipelineStats pipelineStats(DashboardConfig config) {
        return new PipelineStats(config.workingSet().samples(), config.workingSet().deadLetters());
    }

    @Produces
    @ApplicationScoped
    ServiceMetrics serviceMetrics(DashboardConfig config) {
        return new ServiceMetrics(config.serviceMetricsUrl(), System::currentTimeMillis);
    }

    @Produces
    @ApplicationScoped
    RolloutWatch rolloutWatch(DashboardConfig config) {
        return new RolloutWatch(config.topics().images(), config.comparison().events(), config.comparison().maxAge());
    }
}
