package org.lesiontriage.dashboard.ingest;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the reader has read what the topics held when it started (the end offsets at assignment): until then the
 * working set is still being built and the instance is not ready.
 */
final class CatchUp {

    private final Map<TopicPartition, Long> remaining = new HashMap<>();
    private volatile boolean assigned;
    private volatile boolean caughtUp;

    /** Partitions newly assigned, with their end offsets then. */
    synchronized void start(Map<TopicPartition, Long> endOffsets) {
        endOffsets.forEach((tp, end) -> {
            if (end > 0) {
                remaining.put(tp, end);
            }
        });
        assigned = true;
        caughtUp = remaining.isEmpty();
    }

    /** Called with the reader's position after each poll. */
    synchronized void position(TopicPartition partition, long position) {
        Long end = remaining.get(partition);
        if (end != null && position >= end) {
            remaining.remove(partition);
            caughtUp = assigned && remaining.isEmpty();
        }
    }

    synchronized Map<TopicPartition, Long> remaining() {
        return Map.copyOf(remaining);
    }

    boolean caughtUp() {
        return caughtUp;
    }
}
