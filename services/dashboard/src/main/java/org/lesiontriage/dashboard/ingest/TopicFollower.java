package org.lesiontriage.dashboard.ingest;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.lesiontriage.dashboard.config.DashboardConfig;
import org.lesiontriage.dashboard.config.KafkaClients;
import org.lesiontriage.dashboard.operations.PipelineStats;
import org.lesiontriage.dashboard.queue.WorkingSet;
import org.lesiontriage.dashboard.rollout.RolloutWatch;

/**
 * Runs this instance's {@link TopicsReader} on its own thread from start to shutdown. Its group,
 * lesion-triage-dashboard-INSTANCE, is this instance's alone, so every instance reads everything.
 */
@ApplicationScoped
public class TopicFollower {

    private static final Logger LOG = Logger.getLogger(TopicFollower.class);

    private final DashboardConfig config;
    private final KafkaClients clients;
    private final WorkingSet workingSet;
    private final PipelineStats stats;
    private final RolloutWatch rollouts;
    private volatile TopicsReader reader;
    private Thread thread;

    @Inject
    public TopicFollower(DashboardConfig config, KafkaClients clients, WorkingSet workingSet, PipelineStats stats,
                         RolloutWatch rollouts) {
        this.config = config;
        this.clients = clients;
        this.workingSet = workingSet;
        this.stats = stats;
        this.rollouts = rollouts;
    }

    void start(@Observes StartupEvent event) {
        DashboardConfig.TopicNames names = config.topics();
        reader = new TopicsReader(clients.consumer(groupId()), clients.serde(),
                new TopicsReader.Names(names.results(), names.failures(), names.reviews(), names.shadowResults(),
                        names.rollouts()), config.startLookback(), workingSet, stats, rollouts);
        thread = new Thread(reader, "dashboard-topics-reader");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Reading %s, %s, %s, %s and %s from %s as group %s", names.results(), names.failures(),
                names.reviews(), names.shadowResults(), names.rollouts(), clients.bootstrapServers(), groupId());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (reader != null) {
            reader.close();
            thread.join(10_000);
        }
    }

    public String groupId() {
        return "lesion-triage-dashboard-" + config.instance();
    }

    public boolean caughtUp() {
        return reader != null && reader.caughtUp();
    }

    public Map<TopicPartition, Long> catchUpRemaining() {
        return reader == null ? Map.of() : reader.catchUpRemaining();
    }

    /** Null while the reader runs; why it stopped otherwise. */
    public Throwable failure() {
        return reader == null ? null : reader.failure();
    }
}
