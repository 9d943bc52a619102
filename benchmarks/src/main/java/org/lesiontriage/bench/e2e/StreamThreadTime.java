package org.lesiontriage.bench.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/**
 * How the stream threads spent their time, from Kafka Streams' own thread metrics (averaged over their sample
 * window, 30 s by default, so over the end of a scenario): the fractions of time in poll, process (which runs the
 * model when a full batch flushes), punctuate (which runs the model for partial batches) and commit, and the
 * commits' rate and latency. Under exactly-once a commit is a transaction: this is what it costs the thread.
 */
final class StreamThreadTime {

    private static final List<String> READ = List.of("poll-ratio", "process-ratio", "punctuate-ratio", "commit-ratio",
            "commit-rate", "commit-latency-avg", "commit-latency-max");

    private StreamThreadTime() {
    }

    /** Each metric averaged over the stream threads (max for the maximum), keyed with '_' for '-'. */
    static Map<String, Double> of(KafkaStreams streams) {
        Map<String, Double> sums = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Metric metric : streams.metrics().values()) {
            String name = metric.metricName().name();
            if (metric.metricName().group().equals("stream-thread-metrics") && READ.contains(name)
                    && metric.metricValue() instanceof Number value && !Double.isNaN(value.doubleValue())) {
                double v = value.doubleValue();
                sums.merge(name, v, name.endsWith("-max") ? Math::max : Double::sum);
                counts.merge(name, 1, Integer::sum);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : READ) {
            if (sums.containsKey(name)) {
                double v = name.endsWith("-max") ? sums.get(name) : sums.get(name) / counts.get(name);
                out.put(name.replace('-', '_'), v);
            }
        }
        return out;
    }
}
