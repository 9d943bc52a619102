package org.lesiontriage.bench.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU milliseconds between two readings, by group of this JVM's threads, plus the JVM's total and the registry's.
 *
 * @param endedMs    the JVM's total minus what its live threads used: threads that ended in between (a closed
 *                   client's), and rounding (whole clock ticks per thread)
 * @param registryMs the schema registry's process; null where it could not be read
 * @param busiest    the thread names that used most, to show what each group is made of
 */
record CpuBreakdown(Map<CpuGroup, Double> msByGroup, double endedMs, double processMs, Double registryMs,
                    List<ThreadName> busiest) {

    /** The service's threads: the sum over {@link CpuGroup#SERVICE}. */
    double serviceMs() {
        return CpuGroup.SERVICE.stream().mapToDouble(msByGroup::get).sum();
    }

    /** Milliseconds per event for each group, then "ended_threads", "this_jvm" and "registry" (JSON keys). */
    Map<String, Double> perEvent(int events) {
        double n = Math.max(1, events);
        Map<String, Double> perEvent = new LinkedHashMap<>();
        msByGroup.forEach((group, ms) -> perEvent.put(group.key(), ms / n));
        perEvent.put("ended_threads", endedMs / n);
        perEvent.put("this_jvm", processMs / n);
        perEvent.put("registry", registryMs == null ? null : registryMs / n);
        return perEvent;
    }

    /** Threads of one name (comm) and group: how many there were and the CPU they used together. */
    record ThreadName(String comm, String group, int threads, double cpuMs) {
    }
}
