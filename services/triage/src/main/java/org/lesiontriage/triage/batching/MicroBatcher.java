package org.lesiontriage.triage.batching;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects items into micro-batches by the {@link BatchPolicy}. Not thread-safe: one per stream task, which
 * Kafka Streams drives from a single thread. Time is passed in, so tests and the stream's clock agree.
 *
 * <p>A partial batch runs once its oldest item has waited max-delay <em>and</em> no item arrived for max-delay.
 * Under a backlog the stream thread adds an item every few milliseconds (the time to preprocess one), so the
 * batch keeps filling instead of running half-empty; a batch that keeps growing still runs once its oldest
 * item has waited {@link #BACKLOG_PATIENCE} times max-delay. A lone item runs after max-delay.
 */
public final class MicroBatcher<T> {

    /** How many max-delays a batch that is still growing may wait before it runs anyway. */
    public static final int BACKLOG_PATIENCE = 4;

    private final BatchPolicy policy;
    private final List<T> items = new ArrayList<>();
    private long oldestAddedAtMs;
    private long newestAddedAtMs;

    public MicroBatcher(BatchPolicy policy) {
        this.policy = policy;
    }

    /** Adds an item; true when the batch is now full and should be flushed. */
    public boolean add(T item, long nowMs) {
        if (items.isEmpty()) {
            oldestAddedAtMs = nowMs;
        }
        newestAddedAtMs = nowMs;
        items.add(item);
        return isFull();
    }

    public boolean isFull() {
        return items.size() >= policy.maxSize();
    }

    /** True when the partial batch should run now (see the class comment). */
    public boolean isDue(long nowMs) {
        if (items.isEmpty()) {
            return false;
        }
        long maxDelay = policy.maxDelay().toMillis();
        long age = nowMs - oldestAddedAtMs;
        boolean quiet = nowMs - newestAddedAtMs >= maxDelay;
        return age >= maxDelay && (quiet || age >= maxDelay * BACKLOG_PATIENCE);
    }

    /** Removes and returns up to max-size items, oldest first. */
    public List<T> drain() {
        int n = Math.min(items.size(), policy.maxSize());
        List<T> batch = new ArrayList<>(items.subList(0, n));
        items.subList(0, n).clear();
        return batch;
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public BatchPolicy policy() {
        return policy;
    }
}
