package org.lesiontriage.clinictools.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts of a publishing run, updated from the producer's callback thread. */
final class SendTally {

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Map<String, AtomicLong> failureReasons = new ConcurrentHashMap<>();

    void acknowledged(long recordBytes) {
        sent.incrementAndGet();
        bytes.addAndGet(recordBytes);
    }

    void failed(Throwable error) {
        failed.incrementAndGet();
        failureReasons.computeIfAbsent(reason(error), k -> new AtomicLong()).incrementAndGet();
    }

    /** The exception's type and message, without a stack: what an operator needs to act on. */
    static String reason(Throwable error) {
        Throwable shown = error;
        // Kafka wraps the useful cause in a generic KafkaException now and then.
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        return shown.getClass().getSimpleName() + (shown.getMessage() == null ? "" : ": " + shown.getMessage());
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    long done() {
        return sent.get() + failed.get();
    }

    long bytes() {
        return bytes.get();
    }

    Map<String, Long> failureReasons() {
        Map<String, Long> copy = new TreeMap<>();
        failureReasons.forEach((reason, count) -> copy.put(reason, count.get()));
        return copy;
    }
}
