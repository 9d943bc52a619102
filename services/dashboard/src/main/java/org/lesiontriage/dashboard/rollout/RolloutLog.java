package org.lesiontriage.dashboard.rollout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.RolloutKind;

/**
 * The rollouts of one input topic in the order of triage-rollouts (one partition, compacted with unique keys: the
 * whole history), and what is in effect for new input now. The rule is the service's (its RolloutHistory) at the end
 * of the input, where every rollout applies: the live version is the last activation's or rollback's; the shadow is
 * the last SHADOW or SHADOW_OFF, none when it is SHADOW_OFF or names the live version; the canary is the last of
 * the activations, rollbacks and canaries, none unless it is a CANARY of a version other than the live one (an
 * activation or rollback ends a canary). Before any activation the live version is the service's configured model,
 * which the topic does not name. Thread-safe; rollouts are only ever added.
 */
public final class RolloutLog {

    /**
     * What is in effect now; each null when there is none.
     *
     * @param live       the last activation or rollback
     * @param shadow     the SHADOW rollout in effect
     * @param lastShadow the last SHADOW rollout, in effect or not: whose results a window may still hold
     * @param shadowOff  the SHADOW_OFF that ended {@code lastShadow}, if one did
     * @param canary     the CANARY rollout in effect
     * @param gate       the last rollout that carries a promotion gate's decision
     */
    public record InEffect(ModelRollout live, ModelRollout shadow, ModelRollout lastShadow, ModelRollout shadowOff,
                           ModelRollout canary, ModelRollout gate, int rollouts) {
    }

    private final String inputTopic;
    private final List<ModelRollout> rollouts = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    public RolloutLog(String inputTopic) {
        this.inputTopic = Objects.requireNonNull(inputTopic, "inputTopic");
    }

    /** Adds a rollout read from the topic; false for one of another input topic or one already known. */
    public synchronized boolean add(ModelRollout rollout) {
        if (!inputTopic.equals(rollout.getInputTopic()) || !ids.add(rollout.getRolloutId())) {
            return false;
        }
        rollouts.add(rollout);
        return true;
    }

    public synchronized InEffect now() {
        ModelRollout live = null;
        ModelRollout lastShadowKind = null;
        ModelRollout lastShadow = null;
        ModelRollout lastServing = null;
        ModelRollout gate = null;
        for (ModelRollout rollout : rollouts) {
            RolloutKind kind = rollout.getKind();
            if (kind == RolloutKind.ACTIVATE || kind == RolloutKind.ROLLBACK) {
                live = rollout;
            }
            if (kind == RolloutKind.SHADOW || kind == RolloutKind.SHADOW_OFF) {
                lastShadowKind = rollout;
            } else {
                lastServing = rollout;
            }
            if (kind == RolloutKind.SHADOW) {
                lastShadow = rollout;
            }
            if (rollout.getGate() != null) {
                gate = rollout;
            }
        }
        ModelRollout shadow = lastShadowKind != null && lastShadowKind.getKind() == RolloutKind.SHADOW
                && !sameVersion(lastShadowKind, live) ? lastShadowKind : null;
        ModelRollout shadowOff = lastShadowKind != null && lastShadowKind.getKind() == RolloutKind.SHADOW_OFF
                && lastShadow != null ? lastShadowKind : null;
        ModelRollout canary = lastServing != null && lastServing.getKind() == RolloutKind.CANARY
                && !sameVersion(lastServing, live) ? lastServing : null;
        return new InEffect(live, shadow, lastShadow, shadowOff, canary, gate, rollouts.size());
    }

    public synchronized int size() {
        return rollouts.size();
    }

    /** Name and version alike: the service's ModelKey. */
    static boolean sameVersion(ModelRollout a, ModelRollout b) {
        return a != null && b != null && a.getName().equals(b.getName()) && a.getVersion().equals(b.getVersion());
    }
}
