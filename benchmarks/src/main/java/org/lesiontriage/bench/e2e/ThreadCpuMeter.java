package org.lesiontriage.bench.e2e;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.lesiontriage.bench.common.ProcCpu;
import org.lesiontriage.bench.common.TaskStat;

/**
 * CPU used between two readings by each {@link CpuGroup} of this JVM's threads, by the JVM as a whole and by
 * another process (the schema registry), from Linux's /proc. Linux only.
 */
final class ThreadCpuMeter {

    /** How many of the busiest thread names a breakdown lists, to show what a group is made of. */
    private static final int BUSIEST = 12;

    private final ProcCpu proc;
    private final ThreadClassifier classifier;
    private final long otherPid;

    /** @param otherPid the other process to read (the registry), or a negative number for none */
    ThreadCpuMeter(ProcCpu proc, ThreadClassifier classifier, long otherPid) {
        this.proc = proc;
        this.classifier = classifier;
        this.otherPid = otherPid;
    }

    /** The CPU counters now. */
    Reading read() {
        OptionalLong other = otherPid < 0 ? OptionalLong.empty() : proc.processTicks(otherPid);
        return new Reading(proc.threads(), proc.selfTicks(), other);
    }

    /** What each group used from {@code before} to {@code after}. */
    CpuBreakdown between(Reading before, Reading after) {
        Map<CpuGroup, Long> byGroup = new EnumMap<>(CpuGroup.class);
        Map<NameInGroup, long[]> byName = new LinkedHashMap<>(); // -> {ticks, threads}
        long threadTicks = 0;
        for (TaskStat thread : after.threads().values()) {
            TaskStat earlier = before.threads().get(thread.key());
            long used = thread.cpuTicks() - (earlier == null ? 0 : earlier.cpuTicks());
            CpuGroup group = classifier.classify(thread);
            byGroup.merge(group, used, Long::sum);
            long[] name = byName.computeIfAbsent(new NameInGroup(thread.comm(), group), k -> new long[2]);
            name[0] += used;
            name[1]++;
            threadTicks += used;
        }
        long processTicks = after.selfTicks() - before.selfTicks();
        Double otherMs = before.otherTicks().isPresent() && after.otherTicks().isPresent()
                ? (after.otherTicks().getAsLong() - before.otherTicks().getAsLong()) * ProcCpu.MS_PER_TICK : null;
        Map<CpuGroup, Double> ms = new EnumMap<>(CpuGroup.class);
        for (CpuGroup group : CpuGroup.values()) {
            ms.put(group, byGroup.getOrDefault(group, 0L) * ProcCpu.MS_PER_TICK);
        }
        List<CpuBreakdown.ThreadName> busiest = new ArrayList<>();
        byName.forEach((name, v) -> busiest.add(new CpuBreakdown.ThreadName(name.comm(), name.group().key(),
                (int) v[1], v[0] * ProcCpu.MS_PER_TICK)));
        busiest.sort(Comparator.comparingDouble(CpuBreakdown.ThreadName::cpuMs).reversed());
        return new CpuBreakdown(ms, (processTicks - threadTicks) * ProcCpu.MS_PER_TICK,
                processTicks * ProcCpu.MS_PER_TICK, otherMs, busiest.subList(0, Math.min(BUSIEST, busiest.size())));
    }

    private record NameInGroup(String comm, CpuGroup group) {
    }

    /** Every live thread's counters, this process's total (ended threads included) and the other process's. */
    record Reading(Map<TaskStat.Key, TaskStat> threads, long selfTicks, OptionalLong otherTicks) {
    }
}
