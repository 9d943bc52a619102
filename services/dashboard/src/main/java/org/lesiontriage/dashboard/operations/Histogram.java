package org.lesiontriage.dashboard.operations;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Prometheus histogram's cumulative buckets (upper bound to count), and quantiles from them as Prometheus'
 * histogram_quantile computes them: linear within the bucket that holds the rank.
 */
public record Histogram(TreeMap<Double, Double> cumulative) {

    /** The buckets of {@code name}_bucket among the samples (labels other than le are summed). */
    public static Histogram of(List<PrometheusText.Sample> samples, String name) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (PrometheusText.Sample s : samples) {
            if (s.name().equals(name + "_bucket") && s.labels().containsKey("le")) {
                buckets.merge(Double.parseDouble(s.label("le").replace("+Inf", "Infinity")), s.value(), Double::sum);
            }
        }
        return new Histogram(buckets);
    }

    /** This histogram less an earlier scrape of it: the observations in between. */
    public Histogram minus(Histogram earlier) {
        TreeMap<Double, Double> delta = new TreeMap<>();
        cumulative.forEach((le, count) -> delta.put(le, count - earlier.cumulative.getOrDefault(le, 0.0)));
        return new Histogram(delta);
    }

    public double count() {
        return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    }

    /** The q-quantile (0..1); NaN without observations. */
    public double quantile(double q) {
        double total = count();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound; // the largest finite bound, as histogram_quantile answers
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0 ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    /** Observations per bucket (not cumulative), by upper bound. */
    public Map<String, Double> perBucket() {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        double previous = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            String label = bucket.getKey().isInfinite() ? "+Inf" : String.valueOf(bucket.getKey().intValue());
            out.put(label, bucket.getValue() - previous);
            previous = bucket.getValue();
        }
        return out;
    }
}
