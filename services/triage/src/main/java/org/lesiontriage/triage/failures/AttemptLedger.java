package org.lesiontriage.triage.failures;

/**
 * Durable memory of failed attempts per input partition, outside the exactly-once transaction: it survives
 * stream thread replacements, process restarts and a move of the partition to another instance.
 */
public interface AttemptLedger extends AutoCloseable {

    PartitionAttempts load(String topic, int partition);

    /** Returns only once the state is durable: the next thing the caller does may crash the process. */
    void save(String topic, int partition, PartitionAttempts attempts);

    @Override
    default void close() {
    }

    /** The ledger's key of an input partition. */
    static String key(String topic, int partition) {
        return topic + ":" + partition;
    }
}
