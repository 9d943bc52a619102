package org.lesiontriage.common.metrics;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nearest-rank percentiles of a sample (latencies, model run times): every value reported is one that was actually
 * measured. The viewer reports whole milliseconds, the benchmarks fractions of them.
 */
public final class Percentiles {

    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    public static Percentiles of(Collection<? extends Number> values) {
        return of(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    public static Percentiles of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted);
    }

    public int count() {
        return sorted.length;
    }

    /**
     * The smallest value with at least {@code p}% of the values at or below it (rank ceil(p/100 * n); p = 0 gives
     * the smallest value); NaN when there are no values.
     */
    public double at(double p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // p * n first: 95 * 20 / 100 is exactly 19, while 0.95 * 20 need not be
        int rank = (int) Math.ceil(p * sorted.length / 100.0);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** {@link #at} for a sample of whole numbers, in (0, 100]; null when there are no values. */
    public Long percentile(double p) {
        if (p <= 0) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        return sorted.length == 0 ? null : (long) at(p);
    }

    /** The largest value of a sample of whole numbers; null when there are none. */
    public Long max() {
        return sorted.length == 0 ? null : (long) sorted[sorted.length - 1];
    }

    public double mean() {
        return Arrays.stream(sorted).average().orElse(Double.NaN);
    }

    /** p50, p95, p99, max and mean, as the benchmark reports print them. */
    public Map<String, Double> summary() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("p50", at(50));
        out.put("p95", at(95));
        out.put("p99", at(99));
        out.put("max", at(100));
        out.put("mean", mean());
        return out;
    }
}
