package org.lesiontriage.triage.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.lesiontriage.contracts.ModelRollout;

/**
 * Watches the service's committed offsets: reports when every partition has passed the latest rollout's offsets (the
 * switch is complete) and unloads a version once no partition can need it again, i.e. once every partition's
 * committed offset lies past the last offset it scores. A version never activated (a candidate) stays loaded.
 */
final class ModelRetirement implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRetirement.class);

    private final Admin admin;
    private final String applicationId;
    private final RolloutHistory history;
    private final ModelPreparer preparer;
    private final Duration grace;
    /** Versions an operator may activate next (published after the latest rollout): never retired. */
    private final java.util.function.Supplier<Set<ModelKey>> candidates;
    private final Map<ModelKey, Long> unneededSince = new HashMap<>();
    private final Set<String> completed = new HashSet<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("triage-model-retirement"));
    private volatile SwitchCompletion lastCompletion;

    /** The latest rollout and when the last partition passed its offset. */
    record SwitchCompletion(String rolloutId, ModelKey version, Instant requestedAt, Instant completeAt) {
    }

    ModelRetirement(Admin admin, String applicationId, RolloutHistory history, ModelPreparer preparer, Duration grace,
                    java.util.function.Supplier<Set<ModelKey>> candidates) {
        this.candidates = candidates;
        this.admin = admin;
        this.applicationId = applicationId;
        this.history = history;
        this.preparer = preparer;
        this.grace = grace;
    }

    void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    SwitchCompletion lastCompletion() {
        return lastCompletion;
    }

    void check() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            List<Integer> partitions = admin.describeTopics(List.of(history.inputTopic())).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(history.inputTopic()).partitions().stream()
                    .map(info -> info.partition()).toList();
            Map<Integer, Long> positions = new HashMap<>();
            for (int partition : partitions) {
                OffsetAndMetadata at = committed.get(new TopicPartition(history.inputTopic(), partition));
                positions.put(partition, at == null ? 0L : at.offset());
            }
            reportCompletion(positions);
            retireUnneeded(positions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("Retirement check skipped: %s", e.getMessage());
        }
    }

    private void reportCompletion(Map<Integer, Long> positions) {
        ModelRollout latest = history.latest().orElse(null);
        if (latest == null || completed.contains(latest.getRolloutId())) {
            return;
        }
        for (Map.Entry<Integer, Long> position : positions.entrySet()) {
            if (position.getValue() < RolloutHistory.fromOffset(latest, position.getKey())) {
                return;
            }
        }
        completed.add(latest.getRolloutId());
        Instant now = Instant.now();
        lastCompletion = new SwitchCompletion(latest.getRolloutId(), ModelKey.of(latest), latest.getRequestedAt(), now);
        LOG.infof("Rollout %s complete: every partition committed past its offset; %s live everywhere, %d ms after "
                + "the activation", latest.getRolloutId(), ModelKey.of(latest),
                Duration.between(latest.getRequestedAt(), now).toMillis());
    }

    private void retireUnneeded(Map<Integer, Long> positions) {
        Set<ModelKey> needed = new HashSet<>(candidates.get());
        needed.add(history.current());
        positions.forEach((partition, offset) -> needed.addAll(history.versionsFrom(partition, offset)));
        Set<ModelKey> everLive = new HashSet<>();
        everLive.add(history.bootstrap());
        history.all().forEach(rollout -> everLive.add(ModelKey.of(rollout)));
        long now = System.nanoTime();
        for (ModelKey loaded : preparer.loaded()) {
            if (needed.contains(loaded) || !everLive.contains(loaded)) {
                unneededSince.remove(loaded);
                continue;
            }
            long since = unneededSince.computeIfAbsent(loaded, key -> now);
            if (now - since >= grace.toNanos()) {
                LOG.infof("Retiring model %s: every partition is past its last offset", loaded);
                preparer.retire(loaded);
                unneededSince.remove(loaded);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
