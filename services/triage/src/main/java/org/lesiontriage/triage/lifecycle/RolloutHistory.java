package org.lesiontriage.triage.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lesiontriage.common.rollout.CanaryClinics;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.PartitionOffset;
import org.lesiontriage.contracts.RolloutKind;

/**
 * The rollouts of one input topic, in the order of the rollout topic (which is the order their markers have in
 * every input partition: activations are written by one transactional id, so one at a time). Answers which version
 * scores a record: the last activation or rollback whose offset for the record's partition is at or below the
 * record's offset, else the version served before any rollout (the bootstrap model); except for a clinic of a canary
 * that comes after that activation at the record's offset, which gets the canary's version. Thread-safe; rollouts are
 * only ever added.
 */
public final class RolloutHistory {

    private final String inputTopic;
    private final ModelKey bootstrap;
    private volatile List<ModelRollout> rollouts = List.of();
    /** Whether any shadow (canary) rollout was ever added: without one, the per-record question costs no scan. */
    private volatile boolean anyShadow;
    private volatile boolean anyCanary;

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
        anyShadow |= isShadow(rollout); // before the list: a reader that sees the rollout sees the flag
        anyCanary |= rollout.getKind() == RolloutKind.CANARY;
        rollouts = List.copyOf(next);
    }

    public boolean contains(String rolloutId) {
        return rollouts.stream().anyMatch(rollout -> rollout.getRolloutId().equals(rolloutId));
    }

    public List<ModelRollout> all() {
        return rollouts;
    }

    /** The latest activation or rollback (shadow rollouts aside). */
    public Optional<ModelRollout> latest() {
        List<ModelRollout> all = rollouts;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (isLive(all.get(i))) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** The shadow version for new input now, or null. */
    public ModelKey currentShadow() {
        return shadowAt(Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** The canary in effect for new input now (its version and clinics), or null. */
    public ModelRollout currentCanary() {
        return canaryAt(Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** The version live now for new input: the latest rollout's, or the bootstrap model. */
    public ModelKey current() {
        return latest().map(ModelKey::of).orElse(bootstrap);
    }

    /** The version that scores the record at {@code offset} of {@code partition}. */
    public ModelKey versionAt(int partition, long offset) {
        List<ModelRollout> all = rollouts;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (isLive(all.get(i)) && fromOffset(all.get(i), partition) <= offset) {
                return ModelKey.of(all.get(i));
            }
        }
        return bootstrap;
    }

    /** The version that scores the record of {@code clinicId}: the canary's for a clinic it serves, else the live one. */
    public ModelKey versionAt(int partition, long offset, String clinicId) {
        ModelRollout canary = canaryAt(partition, offset);
        return canary != null && CanaryClinics.includes(canary.getCanary(), clinicId) ? ModelKey.of(canary)
                : versionAt(partition, offset);
    }

    /**
     * The canary in effect at the offset, or null: the last CANARY at or below it, unless an activation or rollback
     * came after it there (either ends a canary), or it names the version live there.
     */
    public ModelRollout canaryAt(int partition, long offset) {
        if (!anyCanary) {
            return null;
        }
        List<ModelRollout> all = rollouts;
        for (int i = all.size() - 1; i >= 0; i--) {
            ModelRollout rollout = all.get(i);
            if (isShadow(rollout) || fromOffset(rollout, partition) > offset) {
                continue;
            }
            boolean canary = rollout.getKind() == RolloutKind.CANARY
                    && !ModelKey.of(rollout).equals(versionAt(partition, offset));
            return canary ? rollout : null;
        }
        return null;
    }

    /**
     * The version that scores the record in shadow, or null: the last SHADOW or SHADOW_OFF rollout at or below the
     * offset decides, and a shadow of the version that is live there is none.
     */
    public ModelKey shadowAt(int partition, long offset) {
        if (!anyShadow) {
            return null;
        }
        List<ModelRollout> all = rollouts;
        for (int i = all.size() - 1; i >= 0; i--) {
            ModelRollout rollout = all.get(i);
            if (isShadow(rollout) && fromOffset(rollout, partition) <= offset) {
                ModelKey shadow = ModelKey.of(rollout);
                return rollout.getKind() == RolloutKind.SHADOW && !shadow.equals(versionAt(partition, offset))
                        ? shadow : null;
            }
        }
        return null;
    }

    /** Activations and rollbacks change the live version for every clinic; shadows and canaries do not. */
    public static boolean isLive(ModelRollout rollout) {
        return rollout.getKind() == RolloutKind.ACTIVATE || rollout.getKind() == RolloutKind.ROLLBACK;
    }

    public static boolean isShadow(ModelRollout rollout) {
        return rollout.getKind() == RolloutKind.SHADOW || rollout.getKind() == RolloutKind.SHADOW_OFF;
    }

    /** The versions that score records of {@code partition} at or after {@code offset}: the ones still needed there. */
    public Set<ModelKey> versionsFrom(int partition, long offset) {
        Set<ModelKey> needed = new LinkedHashSet<>();
        needed.add(versionAt(partition, offset));
        ModelKey shadow = shadowAt(partition, offset);
        if (shadow != null) {
            needed.add(shadow);
        }
        ModelRollout canary = canaryAt(partition, offset);
        if (canary != null) {
            needed.add(ModelKey.of(canary));
        }
        for (ModelRollout rollout : rollouts) {
            if (fromOffset(rollout, partition) > offset && rollout.getKind() != RolloutKind.SHADOW_OFF) {
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
