package org.lesiontriage.dashboard.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ServiceMetricsTest {

    /** A scrape in the form the service's /q/metrics has (names from TriageMetrics), with {@code n} events in. */
    static String scrape(int n) {
        return """
                # HELP triage_events_in_total Input records read
                # TYPE triage_events_in_total counter
                triage_events_in_total %d.0
                triage_results_total{priority="URGENT"} %d.0
                triage_results_total{priority="ROUTINE"} 3.0
                triage_dead_letters_total{reason="IMAGE_UNDECODABLE"} 2.0
                triage_dead_letters_total{reason="NOT_WIRE_FORMAT"} 1.0
                triage_end_to_end_seconds_bucket{le="0.1"} %d.0
                triage_end_to_end_seconds_bucket{le="0.2"} %d.0
                triage_end_to_end_seconds_bucket{le="+Inf"} %d.0
                triage_batch_size_bucket{le="1.0"} 0.0
                triage_batch_size_bucket{le="4.0"} %d.0
                triage_batch_size_bucket{le="+Inf"} %d.0
                triage_batch_size_sum %d.0
                triage_batch_size_count %d.0
                triage_model_info{device="CPU",name="triagenet",sha256="d59761a05065",version="2.0.0",} 1.0
                """.formatted(n, n - 6, n / 2, n, n, n / 4, n / 4, n, n / 4);
    }

    @Test
    void parsesLabelsWithEscapesAndSpecialValues() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("""
                # comment
                m{a="x\\"y",b="1"} 2.5 1700000000
                plain NaN
                bucket{le="+Inf"} +Inf
                garbage line that does not parse {
                """);
        assertThat(samples).hasSize(3);
        assertThat(samples.get(0).labels()).containsEntry("a", "x\"y").containsEntry("b", "1");
        assertThat(samples.get(0).value()).isEqualTo(2.5);
        assertThat(samples.get(1).value()).isNaN();
        assertThat(samples.get(2).value()).isInfinite();
    }

    @Test
    void quantilesInterpolateWithinTheBucketAsPrometheusDoes() {
        Histogram h = Histogram.of(PrometheusText.parse(scrape(100)), "triage_end_to_end_seconds");
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.quantile(0.5)).isCloseTo(0.1, within(1e-9));
        assertThat(h.quantile(0.75)).isCloseTo(0.15, within(1e-9));
        assertThat(h.quantile(0.25)).isCloseTo(0.05, within(1e-9));
    }

    @Test
    void ratesAndPercentilesOverTheWindowCountsSinceStartAndTheModel() {
        AtomicLong clock = new AtomicLong(1_000_000);
        ServiceMetrics metrics = new ServiceMetrics("http://unused", clock::get);
        metrics.interpret(PrometheusText.parse(scrape(100)), clock.get());
        clock.addAndGet(10_000);
        ServiceMetrics.Snapshot later = metrics.interpret(PrometheusText.parse(scrape(300)), clock.get());

        assertThat(later.eventsInPerSecond()).isCloseTo(20.0, within(1e-9));
        assertThat(later.eventsIn()).isEqualTo(300);
        assertThat(later.resultsByPriority()).containsEntry("URGENT", 294.0).containsEntry("ROUTINE", 3.0);
        assertThat(later.deadLettersByReason()).containsEntry("IMAGE_UNDECODABLE", 2.0);
        // In the window 100 more of 200 were under 0.1 s: the median is the bucket's bound.
        assertThat(later.endToEndSeconds().get("p50")).isCloseTo(0.1, within(1e-9));
        assertThat(later.meanBatchSize()).isCloseTo(4.0, within(1e-9));
        assertThat(later.model()).containsEntry("name", "triagenet").containsEntry("version", "2.0.0")
                .containsEntry("device", "CPU");
        assertThat(later.error()).isNull();
    }

    @Test
    void anUnreachableServiceIsReportedNotThrown() {
        ServiceMetrics metrics = new ServiceMetrics("http://127.0.0.1:1/q/metrics", System::currentTimeMillis);
        assertThat(metrics.snapshot().error()).isNotBlank();
    }
}
