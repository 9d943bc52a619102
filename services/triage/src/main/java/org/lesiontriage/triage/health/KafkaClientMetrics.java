package org.lesiontriage.triage.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The few Kafka client metrics an operator on call needs, summed over the stream threads and their clients, instead
 * of the hundreds the generic binder would export (it is off): triage_kafka_commits_total,
 * triage_kafka_commit_rate, triage_kafka_rebalances_total, triage_kafka_failed_rebalances_total and
 * triage_kafka_records_lag_max (the largest partition lag the consumers saw at their last fetch; triage_input_lag
 * is the authoritative one, from committed offsets).
 */
@ApplicationScoped
public class KafkaClientMetrics {

    @Inject
    KafkaStreams streams;

    /** Called by {@link PipelineProgressMonitor} at start, beside the lag it publishes. */
    void register(MeterRegistry meters) {
        FunctionCounter.builder("triage.kafka.commits", commits, CountersOfReplaceableClients::total)
                .description("Transactions committed by the stream threads").register(meters);
        Gauge.builder("triage.kafka.commit.rate", this, m -> m.sum("stream-thread-metrics", "commit-rate"))
                .description("Commits per second, all stream threads").register(meters);
        FunctionCounter.builder("triage.kafka.rebalances", rebalances, CountersOfReplaceableClients::total)
                .description("Consumer group rebalances joined").register(meters);
        FunctionCounter.builder("triage.kafka.failed.rebalances", failedRebalances,
                        CountersOfReplaceableClients::total)
                .description("Consumer group rebalances that failed").register(meters);
        Gauge.builder("triage.kafka.records.lag.max", this, m -> m.max("consumer-fetch-manager-metrics", "records-lag-max"))
                .description("Largest partition lag seen by the consumers at their last fetch").register(meters);
    }

    private final CountersOfReplaceableClients commits =
            new CountersOfReplaceableClients("stream-thread-metrics", "commit-total");
    private final CountersOfReplaceableClients rebalances =
            new CountersOfReplaceableClients("consumer-coordinator-metrics", "rebalance-total");
    private final CountersOfReplaceableClients failedRebalances =
            new CountersOfReplaceableClients("consumer-coordinator-metrics", "failed-rebalance-total");

    /**
     * A Kafka counter summed over clients that come and go: a replaced stream thread takes its metrics (and its
     * consumer's) with it, and a plain sum would then run backwards. The last value of a client that went away is
     * kept, so the total only grows.
     */
    private final class CountersOfReplaceableClients {
        private final String group;
        private final String name;
        private final Map<Map<String, String>, Double> lastByClient = new HashMap<>();
        private double gone;

        CountersOfReplaceableClients(String group, String name) {
            this.group = group;
            this.name = name;
        }

        synchronized double total() {
            Map<Map<String, String>, Double> now = new HashMap<>();
            Collection<? extends Metric> metrics = clientMetrics();
            if (metrics == null) {
                return gone + lastByClient.values().stream().mapToDouble(Double::doubleValue).sum();
            }
            for (Metric metric : metrics) {
                if (metric.metricName().group().equals(group) && metric.metricName().name().equals(name)
                        && metric.metricValue() instanceof Number value && !Double.isNaN(value.doubleValue())) {
                    now.put(metric.metricName().tags(), value.doubleValue());
                }
            }
            lastByClient.forEach((client, last) -> {
                if (!now.containsKey(client)) {
                    gone += last;
                }
            });
            lastByClient.clear();
            lastByClient.putAll(now);
            return gone + now.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * The clients' metrics now, or null while they change under us (a stream thread being replaced): a scrape then
     * shows the last values rather than failing.
     */
    private Collection<? extends Metric> clientMetrics() {
        try {
            return streams.metrics().values();
        } catch (RuntimeException changing) {
            return null;
        }
    }

    private double sum(String group, String name) {
        return values(group, name).filter(v -> !Double.isNaN(v)).sum();
    }

    private double max(String group, String name) {
        return values(group, name).filter(v -> !Double.isNaN(v)).max().orElse(0);
    }

    private DoubleStream values(String group, String name) {
        var metrics = clientMetrics();
        return (metrics == null ? List.<Metric>of() : metrics).stream()
                .filter(metric -> metric.metricName().group().equals(group) && metric.metricName().name().equals(name))
                .map(Metric::metricValue)
                .filter(Number.class::isInstance)
                .mapToDouble(value -> ((Number) value).doubleValue());
    }
}
