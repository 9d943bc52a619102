package org.lesiontriage.triage.lifecycle;

import java.time.Duration;

/**
 * What the stream processor asks of the lifecycle: the model that scores the record at a partition and offset of
 * its input. The answer is a function of the partition, the offset and the rollout history only.
 */
public interface ScoringModels {

    /**
     * The model for the record at {@code offset} of {@code partition}; waits while that version is still being
     * prepared on this instance (it never answers with another version).
     *
     * @throws ModelNotReadyException when the version is not ready within the configured wait
     */
    ScoringModel modelFor(int partition, long offset) throws InterruptedException;

    /**
     * The model for the record of {@code clinicId}: a canary's version for a clinic it serves, else the same as
     * {@link #modelFor(int, long)}, which the processor calls first (outside the record's failure accounting) so that
     * this one finds every version it may answer already loaded.
     */
    default ScoringModel modelFor(int partition, long offset, String clinicId) throws InterruptedException {
        return modelFor(partition, offset);
    }

    /**
     * The version that also scores the record in shadow, if one does and it is loaded here; null otherwise. Never
     * waits: a shadow that is not ready is skipped (and counted), the live path does not wait for it.
     */
    default ScoringModel shadowFor(int partition, long offset) {
        return null;
    }

    /** Whether a shadow version is named for the record (loaded here or not). */
    default boolean hasShadow(int partition, long offset) {
        return false;
    }

    /**
     * Called for a model-switch marker: returns true once the rollout it names is in the history (false when the
     * history, caught up, does not know it: a forged or orphaned marker).
     */
    boolean knowsRollout(String rolloutId) throws InterruptedException;

    /**
     * Called when a task starts (a start, a rebalance): returns once every rollout committed before has been read, so
     * a task that takes over a partition another instance switched never scores with the version before it.
     */
    default void catchUp() throws InterruptedException {
    }

    /** The model that scores new input now (for the card endpoint and the batch buffer's first size). */
    ScoringModel current();

    /** One model for every record: a re-score with a named version, the benchmarks, most tests. */
    static ScoringModels fixed(ScoringModel model) {
        return new ScoringModels() {
            @Override
            public ScoringModel modelFor(int partition, long offset) {
                return model;
            }

            @Override
            public boolean knowsRollout(String rolloutId) {
                return true; // a named version scores everything: markers switch nothing
            }

            @Override
            public ScoringModel current() {
                return model;
            }
        };
    }

    /** How long a task waits for a version being prepared before its thread gives up and is replaced. */
    Duration DEFAULT_WAIT = Duration.ofMinutes(2);
}
