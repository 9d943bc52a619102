package org.lesiontriage.triage.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.PartitionOffset;

/**
 * The rollouts of one input topic, in the order of the rollout topic (which is the order their markers have in
 * every input partition: activations are written by one transactional id, so one at a time). Answers which version
 * scores a record: the last rollout whose offset for the record's partition is at or below the record's offset,
 * else the version served before any rollout (the bootstrap model). Thread-safe; rollouts are only ever added.
 */
public final class RolloutHistory {

    private final String inputTopic;
    private final ModelKey bootstrap;
    private volatile List<ModelRollout> rollouts = List.of();

    public RolloutHistory(String inputTopic, ModelKey bootstrap) {
        this.inputTopic = inputTopic;
        this.bootstrap = bootstrap;
    }

    public String inputTopic() {
        return inputTopic;
    }

    public ModelKey bootstrap() {
        return bootstrap;
    }

    /** Adds a rollout read from the rollout topic; one of another input topic, or one already known, is ignored. */
    public synchronized void add(ModelRollout rollout) {
        if (!inputTopic.equals(rollout.getInputTopic()) || contains(rollout.getRolloutId())) {
            return;
        }
        List<ModelRollout> next = new ArrayList<>(rollouts);
        next.add(rollout);
        rollouts = List.copyOf(next);
    }

    public boolean contains(String rolloutId) {
        return rollouts.stream().anyMatch(rollout -> rollout.getRolloutId().equals(rolloutId));
    }

    public List<ModelRollout> all() {
        return rollouts;
    }

    public Optional<ModelRollout> latest() {
        List<ModelRollout> all = rollouts;
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The version live now for new input: the latest rollout's, or the bootstrap model. */
    public ModelKey current() {
        return latest().map(ModelKey::of).orElse(bootstrap);
    }

    /** The version that scores the record at {@code offset} of {@code partition}. */
    public ModelKey versionAt(int partition, long offset) {
        List<ModelRollout> all = rollouts;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (fromOffset(all.get(i), partition) <= offset) {
                return ModelKey.of(all.get(i));
            }
        }
        return bootstrap;
    }

    /** The versions that score records of {@code partition} at or after {@code offset}: the ones still needed there. */
    public Set<ModelKey> versionsFrom(int partition, long offset) {
        Set<ModelKey> needed = new LinkedHashSet<>();
        needed.add(versionAt(partition, offset));
        for (ModelRollout rollout : rollouts) {
            if (fromOffset(rollout, partition) > offset) {
                needed.add(ModelKey.of(rollout));
            }
        }
        return needed;
    }

    /**
     * The first offset of {@code partition} the rollout's version scores. A partition the rollout does not name was
     * added to the topic after it: the version scores it from its first record.
     */
    public static long fromOffset(ModelRollout rollout, int partition) {
        for (PartitionOffset at : rollout.getOffsets()) {
            if (at.getPartition() == partition) {
                return at.getFromOffset();
            }
        }
        return 0;
    }
}
