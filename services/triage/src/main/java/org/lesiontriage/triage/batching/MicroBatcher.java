package org.lesiontriage.triage.batching;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects items into micro-batches by the {@link BatchPolicy}. Not thread-safe: one per stream task, which
 * Kafka Streams drives from a single thread. Time is passed in, so tests and the stream's clock agree.
 */
public final class MicroBatcher<T> {

    private final BatchPolicy policy;
    private final List<T> items = new ArrayList<>();
    private long oldestAddedAtMs;

    public MicroBatcher(BatchPolicy policy) {
        this.policy = policy;
    }

    /** Adds an item; true when the batch is now full and should be flushed. */
    public boolean add(T item, long nowMs) {
        if (items.isEmpty()) {
            oldestAddedAtMs = nowMs;
        }
        items.add(item);
        return isFull();
    }

    public boolean isFull() {
        return items.size() >= policy.maxSize();
    }

    /** True when the batch is not empty and its oldest item has waited the max delay. */
    public boolean isDue(long nowMs) {
        return !items.isEmpty() && nowMs - oldestAddedAtMs >= policy.maxDelay().toMillis();
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
