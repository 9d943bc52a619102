package org.lesiontriage.triage.batching;

import java.time.Duration;

/**
 * When a micro-batch goes to the model: as soon as it holds {@code maxSize} images, or when its oldest image has
 * waited {@code maxDelay} (the two knobs of Triton's dynamic batcher); and whether its results are committed at
 * once ({@code commitEachBatch}) or at the stream's next regular commit.
 */
public record BatchPolicy(int maxSize, Duration maxDelay, boolean commitEachBatch) {

    /** Results committed with each batch, as served. */
    public BatchPolicy(int maxSize, Duration maxDelay) {
        this(maxSize, maxDelay, true);
    }

    public BatchPolicy {
        if (maxSize < 1) {
            throw new IllegalArgumentException("max batch size must be >= 1, got " + maxSize);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("max batch delay must be >= 0, got " + maxDelay);
        }
    }
}
