package org.lesiontriage.triage.testing;

import java.util.Map;
import org.lesiontriage.triage.lifecycle.ModelKey;
import org.lesiontriage.triage.lifecycle.RolloutHistory;
import org.lesiontriage.triage.lifecycle.ScoringModel;
import org.lesiontriage.triage.lifecycle.ScoringModels;

/**
 * The live rule without the topics: versions by {@link RolloutHistory} (given by the test), each loaded already. For
 * the topology tests; the broker tests run the real lifecycle.
 */
public record RecordedModels(RolloutHistory history, Map<ModelKey, ScoringModel> loaded) implements ScoringModels {

    @Override
    public ScoringModel modelFor(int partition, long offset) {
        return loaded.get(history.versionAt(partition, offset));
    }

    @Override
    public ScoringModel shadowFor(int partition, long offset) {
        ModelKey shadow = history.shadowAt(partition, offset);
        return shadow == null ? null : loaded.get(shadow);
    }

    @Override
    public boolean hasShadow(int partition, long offset) {
        return history.shadowAt(partition, offset) != null;
    }

    @Override
    public boolean knowsRollout(String rolloutId) {
        return history.contains(rolloutId);
    }

    @Override
    public ScoringModel current() {
        return loaded.get(history.current());
    }
}
