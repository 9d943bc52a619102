package org.lesiontriage.metrics;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of latencies: every value reported is one that was actually measured. */
public final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    public static Percentiles of(Collection<Long> values) {
        long[] array = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(array);
        return new Percentiles(array);
    }

    public int count() {
        return sorted.length;
    }

    /**
     * The smallest value with at least {@code p}% of the values at or below it (rank ceil(p/100 * n));
     * null when there are no values.
     */
    public Long percentile(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (sorted.length == 0) {
            return null;
        }
        // p * n first: 95 * 20 / 100 is exactly 19, while 0.95 * 20 need not be
        int rank = (int) Math.ceil(p * sorted.length / 100.0);
        return sorted[Math.max(rank, 1) - 1];
    }

    public Long max() {
        return sorted.length == 0 ? null : sorted[sorted.length - 1];
    }
}
