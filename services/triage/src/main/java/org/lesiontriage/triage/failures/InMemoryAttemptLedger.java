package org.lesiontriage.triage.failures;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempt ledger of one JVM: survives stream thread replacements, not a restart of the process. For runs
 * that do not restart processes (the topology test driver, benchmarks); the service uses {@link KafkaAttemptLedger}.
 */
public final class InMemoryAttemptLedger implements AttemptLedger {

    private final Map<String, PartitionAttempts> attempts = new ConcurrentHashMap<>();

    @Override
    public PartitionAttempts load(String topic, int partition) {
        return attempts.getOrDefault(AttemptLedger.key(topic, partition), PartitionAttempts.NONE);
    }

    @Override
    public void save(String topic, int partition, PartitionAttempts state) {
        attempts.put(AttemptLedger.key(topic, partition), state);
    }
}
