package org.lesiontriage.bench.common;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used between two readings: by this JVM (broker, stream threads, ONNX Runtime, load generator) and by the
 * whole machine (from /proc/stat, so that another process competing for the cores shows up).
 */
public final class CpuClock {

    private final long wallStart = System.nanoTime();
    private final long processStart = processCpuNanos();
    private final long[] machineStart = machineTicks();

    /** Cores this process kept busy on average: process CPU time / wall time. */
    public double processCores() {
        return (processCpuNanos() - processStart) / (double) (System.nanoTime() - wallStart);
    }

    /** Fraction of all cores busy, any process; NaN where /proc/stat is missing. */
    public double machineBusy() {
        long[] now = machineTicks();
        if (now == null || machineStart == null) {
            return Double.NaN;
        }
        long total = now[0] - machineStart[0];
        long idle = now[1] - machineStart[1];
        return total == 0 ? Double.NaN : 1.0 - idle / (double) total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {total, idle + iowait} jiffies of the "cpu" line. */
    private static long[] machineTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
