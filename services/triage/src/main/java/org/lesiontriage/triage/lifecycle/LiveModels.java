package org.lesiontriage.triage.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.lesiontriage.contracts.ModelState;

/**
 * The models of the live service, as the rollout history says: each record is scored by the version live at its
 * offset. A task that reaches a version this instance has not loaded waits for it (and says so in readiness); one
 * that meets a marker waits until the history knows its rollout. Waiting is bounded: past the bound the task's
 * thread fails and is replaced, and it starts again at its last commit.
 */
public final class LiveModels implements ScoringModels {

    private static final Logger LOG = Logger.getLogger(LiveModels.class);
    private static final long POLL_MILLIS = 20;

    private final RolloutHistory history;
    private final TopicFollower<?> historyFollower;
    private final ReleaseCatalog catalog;
    private final ModelPreparer preparer;
    private final Duration maxWait;
    /** What each waiting task waits for, by partition; readiness shows it. */
    private final Map<Integer, String> waiting = new ConcurrentHashMap<>();

    LiveModels(RolloutHistory history, TopicFollower<?> historyFollower, ReleaseCatalog catalog, ModelPreparer preparer,
               Duration maxWait) {
        this.history = history;
        this.historyFollower = historyFollower;
        this.catalog = catalog;
        this.preparer = preparer;
        this.maxWait = maxWait;
    }

    /** The live version at the offset; also waits for a canary version in effect there, so a clinic's pick never waits. */
    @Override
    public ScoringModel modelFor(int partition, long offset) throws InterruptedException {
        var canary = history.canaryAt(partition, offset);
        if (canary != null) {
            loaded(ModelKey.of(canary), partition, offset);
        }
        return loaded(history.versionAt(partition, offset), partition, offset);
    }

    @Override
    public ScoringModel modelFor(int partition, long offset, String clinicId) throws InterruptedException {
        return loaded(history.versionAt(partition, offset, clinicId), partition, offset);
    }

    private ScoringModel loaded(ModelKey key, int partition, long offset) throws InterruptedException {
        Optional<ScoringModel> ready = preparer.ready(key);
        if (ready.isPresent()) {
            return ready.get();
        }
        return awaitReady(key, partition, offset);
    }

    private ScoringModel awaitReady(ModelKey key, int partition, long offset) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + maxWait.toNanos();
        LOG.warnf("Partition %d waits at offset %d for model %s, not ready on this instance", partition, offset, key);
        try {
            while (System.nanoTime() < deadline) {
                Optional<ScoringModel> ready = preparer.ready(key);
                if (ready.isPresent()) {
                    LOG.infof("Partition %d waited %d ms for model %s", partition,
                            (System.nanoTime() - started) / 1_000_000, key);
                    return ready.get();
                }
                ModelState state = preparer.preparation(key).map(ModelPreparer.Preparation::state).orElse(null);
                if (state == null || state == ModelState.RETIRED) {
                    catalog.release(key).ifPresent(preparer::prepare); // needed again (a replay, a rebalance)
                }
                waiting.put(partition, "offset " + offset + " waits for model " + key + ": "
                        + (state == null ? (catalog.release(key).isPresent() ? "queued" : "no release published")
                        : state + preparer.preparation(key).map(p -> p.reason() == null ? "" : " (" + p.reason() + ")").orElse("")));
                Thread.sleep(POLL_MILLIS);
            }
        } finally {
            waiting.remove(partition);
        }
        throw new ModelNotReadyException("model " + key + " for partition " + partition + " offset " + offset
                + " not ready on this instance within " + maxWait.toSeconds() + " s");
    }

    @Override
    public ScoringModel shadowFor(int partition, long offset) {
        ModelKey key = history.shadowAt(partition, offset);
        if (key == null) {
            return null;
        }
        Optional<ScoringModel> ready = preparer.ready(key);
        if (ready.isEmpty() && preparer.preparation(key).isEmpty()) {
            catalog.release(key).ifPresent(preparer::prepare);
        }
        return ready.orElse(null);
    }

    @Override
    public boolean hasShadow(int partition, long offset) {
        return history.shadowAt(partition, offset) != null;
    }

    @Override
    public boolean knowsRollout(String rolloutId) throws InterruptedException {
        if (history.contains(rolloutId)) {
            return true;
        }
        try {
            // The marker was committed with its rollout record: once caught up, the history has it, if it exists.
            historyFollower.awaitCaughtUp(maxWait);
        } catch (TimeoutException e) {
            throw new ModelNotReadyException("rollout " + rolloutId + ": " + e.getMessage());
        }
        return history.contains(rolloutId);
    }

    @Override
    public void catchUp() throws InterruptedException {
        try {
            historyFollower.awaitCaughtUp(maxWait);
        } catch (TimeoutException e) {
            throw new ModelNotReadyException("rollout history: " + e.getMessage());
        }
    }

    @Override
    public ScoringModel current() {
        return preparer.ready(history.current()).orElseThrow(() ->
                new ModelNotReadyException("the current model " + history.current() + " is not loaded here"));
    }

    /** Partitions waiting for a model or a rollout, and why; empty when none waits. */
    public Map<Integer, String> waiting() {
        return Map.copyOf(waiting);
    }

    public RolloutHistory history() {
        return history;
    }
}
