package org.lesiontriage.triage.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects items into micro-batches by the {@link BatchPolicy}. Not thread-safe: one per stream task, which
 * Kafka Streams drives from a single thread. Time is passed in, so tests and the stream's clock agree.
 *
 * <p>When a partial batch runs depends on whether the stream is caught up:
 * <ul>
 *   <li>caught up: the batch runs once its oldest item has waited max-delay and nothing new arrived for
 *       max-delay, or once its oldest item has waited {@link #BACKLOG_PATIENCE} times max-delay. A lone item runs
 *       after max-delay.</li>
 *   <li>behind (the newest item was already older than {@link #BACKLOG_AGE}, or BACKLOG_PATIENCE times max-delay
 *       if that is longer, when it arrived): a backlog, a replay, the input of a stall. More items are waiting in
 *       the input; the batch fills to max-size, or runs when no item arrived for BACKLOG_PATIENCE times max-delay
 *       (the backlog ended). Full batches are what throughput needs then.</li>
 * </ul>
 * Items a few tens of milliseconds old are not a backlog: on a busy host a model run, a commit or a collection
 * delays the next poll by that much all the time, and treating them as one made light load wait for full
 * batches.
 */
public final class MicroBatcher<T> {

    /** How many max-delays a batch that is still growing may wait before it runs anyway. */
    public static final int BACKLOG_PATIENCE = 4;

    /** How old an item must be on arrival to mean a backlog (at least BACKLOG_PATIENCE times max-delay). */
    public static final Duration BACKLOG_AGE = Duration.ofMillis(500);

    private final BatchPolicy policy;
    private final List<T> items = new ArrayList<>();
    private long oldestAddedAtMs;
    private long newestAddedAtMs;
    private boolean behind;

    public MicroBatcher(BatchPolicy policy) {
        this.policy = policy;
    }

    /** Adds an item that is caught up; see {@link #add(Object, long, long)}. */
    public boolean add(T item, long nowMs) {
        return add(item, nowMs, 0);
    }

    /**
     * Adds an item; true when the batch is now full and should be flushed.
     *
     * @param ageOnArrivalMs how old the item already was when it arrived (now minus its record timestamp)
     */
    public boolean add(T item, long nowMs, long ageOnArrivalMs) {
        if (items.isEmpty()) {
            oldestAddedAtMs = nowMs;
        }
        newestAddedAtMs = nowMs;
        behind = ageOnArrivalMs > Math.max(BACKLOG_AGE.toMillis(), BACKLOG_PATIENCE * policy.maxDelay().toMillis());
        items.add(item);
        return isFull();
    }

    /** The newest item was already older than max-delay when it arrived: more are waiting in the input. */
    public boolean isBehind() {
        return behind && !items.isEmpty();
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
        long quietFor = nowMs - newestAddedAtMs;
        if (behind) {
            return quietFor >= maxDelay * BACKLOG_PATIENCE;
        }
        return age >= maxDelay && (quietFor >= maxDelay || age >= maxDelay * BACKLOG_PATIENCE);
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
