package org.lesiontriage.triage.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.jboss.logging.Logger;
import org.lesiontriage.triage.pipeline.PipelineAssembly;

/**
 * Watches from outside the stream threads whether input is answered: every {@code triage.health.check-interval}
 * it compares the application's committed offsets with the input topic's end offsets. A stream thread that keeps
 * dying, a partition stuck on a record, a registry or model that keeps failing all look the same from here (input
 * waits, nothing is committed), which is what readiness and liveness report. Only the partitions this instance
 * owns count. Publishes triage_input_lag.
 */
@ApplicationScoped
public class PipelineProgressMonitor {

    private static final Logger LOG = Logger.getLogger(PipelineProgressMonitor.class);

    @Inject
    PipelineAssembly pipeline;

    @Inject
    MeterRegistry meters;

    @Inject
    KafkaStreams streams;

    @Inject
    KafkaClientMetrics kafkaMetrics;

    private final ProgressTracker tracker = new ProgressTracker();
    private ScheduledExecutorService scheduler;
    private Admin admin;
    /** The input partitions this instance's stream threads own; kept while a replaced thread has none yet. */
    private Set<TopicPartition> owned = Set.of();

    void start(@Observes StartupEvent started) {
        admin = Admin.create(pipeline.kafkaClientConfig());
        Gauge.builder("triage.input.lag", () -> tracker.current().lag())
                .description("Input records not yet committed past by the application (-1: broker not reachable)")
                .register(meters);
        kafkaMetrics.register(meters);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "triage-progress-monitor");
            thread.setDaemon(true);
            return thread;
        });
        long intervalMs = pipeline.config().health().checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::check, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            admin.close();
        }
    }

    public InputProgress progress() {
        return tracker.current();
    }

    /**
     * Only this instance's partitions: a partition stuck in another replica must make that replica unready (and,
     * in the end, restarted), not every replica of the group.
     */
    private Set<TopicPartition> ownedInputPartitions(String input) {
        Set<TopicPartition> now = new HashSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().stream().filter(p -> p.topic().equals(input)).forEach(now::add);
            }
        }
        if (!now.isEmpty() || streams.state() == KafkaStreams.State.RUNNING && !replacing()) {
            owned = Set.copyOf(now);
        }
        return owned;
    }

    /** A failed stream thread is replaced: until then its tasks are nobody's, and still ours to answer for. */
    private boolean replacing() {
        return streams.metadataForLocalThreads().stream().anyMatch(t -> !t.threadState().equals("RUNNING"));
    }

    private void check() {
        long now = System.currentTimeMillis();
        try {
            long timeoutMs = pipeline.config().health().checkInterval().toMillis() * 2;
            String input = pipeline.config().topics().images();
            Set<TopicPartition> mine = ownedInputPartitions(input);
            if (mine.isEmpty()) {
                tracker.observed(0, 0, now); // nothing assigned here (more instances than partitions): nothing waits on us
                return;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (TopicPartition partition : mine) {
                latest.put(partition, OffsetSpec.latest());
                earliest.put(partition, OffsetSpec.earliest());
            }
            var options = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            var ends = admin.listOffsets(latest, options).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            var starts = admin.listOffsets(earliest, options).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(pipeline.settings().applicationId())
                    .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
            long lag = 0;
            long position = 0;
            for (TopicPartition partition : latest.keySet()) {
                OffsetAndMetadata at = committed.get(partition);
                long from = at == null ? starts.get(partition).offset() : Math.max(at.offset(), starts.get(partition).offset());
                lag += Math.max(0, ends.get(partition).offset() - from);
                position += from;
            }
            tracker.observed(lag, position, now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            InputProgress progress = tracker.unreachable(now);
            LOG.debugf("Progress check failed for %d ms: %s", progress.unreachableMs(), e.toString());
        }
    }
}
