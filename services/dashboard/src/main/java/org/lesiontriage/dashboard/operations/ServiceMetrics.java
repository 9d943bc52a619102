package org.lesiontriage.dashboard.operations;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What the triage service's /q/metrics says (names in docs/operations.md), scraped at most every
 * {@link #MIN_INTERVAL}: rates and latency percentiles over the last minute of scrapes, counts since the service
 * started, and the model it serves. One instance answers per scrape: behind a load balancer, that instance's view.
 */
public final class ServiceMetrics {

    static final Duration MIN_INTERVAL = Duration.ofSeconds(2);
    static final Duration WINDOW = Duration.ofSeconds(60);

    /** What the operator view shows from the service; {@code error} is set when the scrape failed. */
    public record Snapshot(String url, String error, Double eventsInPerSecond, double eventsIn,
                           Map<String, Double> resultsByPriority, Map<String, Double> deadLettersByReason,
                           Map<String, Double> endToEndSeconds, Map<String, Double> batchSizes, Double meanBatchSize,
                           Map<String, String> model) {
    }

    private record Scrape(long atMs, double eventsIn, Histogram endToEnd, Histogram batchSize, double batchSum,
                          double batchCount) {
    }

    private final String url;
    private final Supplier<Long> clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Deque<Scrape> history = new ArrayDeque<>();
    private Snapshot last;
    private long lastAtMs;

    public ServiceMetrics(String url, Supplier<Long> clock) {
        this.url = url;
        this.clock = clock;
    }

    public synchronized Snapshot snapshot() {
        long now = clock.get();
        if (last != null && now - lastAtMs < MIN_INTERVAL.toMillis()) {
            return last;
        }
        lastAtMs = now;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                last = failed("HTTP " + response.statusCode());
            } else {
                last = interpret(PrometheusText.parse(response.body()), now);
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            last = failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            last = failed("interrupted");
        }
        return last;
    }

    Snapshot interpret(List<PrometheusText.Sample> samples, long now) {
        Scrape scrape = new Scrape(now, sum(samples, "triage_events_in_total"),
                Histogram.of(samples, "triage_end_to_end_seconds"), Histogram.of(samples, "triage_batch_size"),
                sum(samples, "triage_batch_size_sum"), sum(samples, "triage_batch_size_count"));
        while (!history.isEmpty() && now - history.peekFirst().atMs() > WINDOW.toMillis()) {
            history.pollFirst();
        }
        Scrape oldest = history.isEmpty() ? null : history.peekFirst();
        history.addLast(scrape);
        Double rate = null;
        Histogram endToEnd = scrape.endToEnd();
        Histogram batches = scrape.batchSize();
        double batchSum = scrape.batchSum();
        double batchCount = scrape.batchCount();
        if (oldest != null && now > oldest.atMs() && scrape.eventsIn() >= oldest.eventsIn()) {
            rate = (scrape.eventsIn() - oldest.eventsIn()) * 1000.0 / (now - oldest.atMs());
            endToEnd = endToEnd.minus(oldest.endToEnd());
            batches = batches.minus(oldest.batchSize());
            batchSum -= oldest.batchSum();
            batchCount -= oldest.batchCount();
        }
        Map<String, Double> latency = new TreeMap<>();
        if (endToEnd.count() > 0) {
            latency.put("p50", endToEnd.quantile(0.50));
            latency.put("p95", endToEnd.quantile(0.95));
            latency.put("p99", endToEnd.quantile(0.99));
        }
        Map<String, String> model = samples.stream().filter(s -> s.name().equals("triage_model_info") && s.value() > 0)
                .findFirst().map(PrometheusText.Sample::labels).orElse(Map.of());
        return new Snapshot(url, null, rate, scrape.eventsIn(), byLabel(samples, "triage_results_total", "priority"),
                byLabel(samples, "triage_dead_letters_total", "reason"), latency, batches.perBucket(),
                batchCount > 0 ? batchSum / batchCount : null, model);
    }

    private Snapshot failed(String why) {
        return new Snapshot(url, why, null, 0, Map.of(), Map.of(), Map.of(), Map.of(), null, Map.of());
    }

    private static double sum(List<PrometheusText.Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(PrometheusText.Sample::value).sum();
    }

    private static Map<String, Double> byLabel(List<PrometheusText.Sample> samples, String name, String label) {
        Map<String, Double> out = new TreeMap<>();
        samples.stream().filter(s -> s.name().equals(name)).forEach(s -> out.merge(s.label(label), s.value(), Double::sum));
        return out;
    }
}
