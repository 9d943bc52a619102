package org.lesiontriage.bench.common;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nearest-rank percentiles of a sample, as reported in the benchmark tables. */
public final class Percentiles {

    private final double[] sorted;

    public Percentiles(double[] sample) {
        this.sorted = sample.clone();
        Arrays.sort(sorted);
    }

    public double at(double percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    public double mean() {
        return Arrays.stream(sorted).average().orElse(Double.NaN);
    }

    public Map<String, Double> summary() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("p50", at(50));
        out.put("p95", at(95));
        out.put("p99", at(99));
        out.put("max", max());
        out.put("mean", mean());
        return out;
    }
}
