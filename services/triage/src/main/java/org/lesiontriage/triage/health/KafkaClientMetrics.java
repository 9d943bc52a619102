package org.lesiontriage.triage.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
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

    void register(@Observes StartupEvent started, MeterRegistry meters) {
        FunctionCounter.builder("triage.kafka.commits", this, m -> m.sum("stream-thread-metrics", "commit-total"))
                .description("Transactions committed by the stream threads").register(meters);
        Gauge.builder("triage.kafka.commit.rate", this, m -> m.sum("stream-thread-metrics", "commit-rate"))
                .description("Commits per second, all stream threads").register(meters);
        FunctionCounter.builder("triage.kafka.rebalances", this, m -> m.sum("consumer-coordinator-metrics", "rebalance-total"))
                .description("Consumer group rebalances joined").register(meters);
        FunctionCounter.builder("triage.kafka.failed.rebalances", this,
                        m -> m.sum("consumer-coordinator-metrics", "failed-rebalance-total"))
                .description("Consumer group rebalances that failed").register(meters);
        Gauge.builder("triage.kafka.records.lag.max", this, m -> m.max("consumer-fetch-manager-metrics", "records-lag-max"))
                .description("Largest partition lag seen by the consumers at their last fetch").register(meters);
    }

    private double sum(String group, String name) {
        return values(group, name).filter(v -> !Double.isNaN(v)).sum();
    }

    private double max(String group, String name) {
        return values(group, name).filter(v -> !Double.isNaN(v)).max().orElse(0);
    }

    private java.util.stream.DoubleStream values(String group, String name) {
        return streams.metrics().values().stream()
                .filter(metric -> metric.metricName().group().equals(group) && metric.metricName().name().equals(name))
                .map(Metric::metricValue)
                .filter(Number.class::isInstance)
                .mapToDouble(value -> ((Number) value).doubleValue());
    }
}
