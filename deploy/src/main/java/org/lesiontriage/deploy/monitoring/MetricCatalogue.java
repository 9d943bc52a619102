package org.lesiontriage.deploy.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The series an alert rule or a dashboard query may name: the triage service's own (k8s/monitoring/metric-names.txt,
 * which the service's MonitoredMetricsTest keeps equal to a real scrape of its /q/metrics) and the few that other
 * scrapes provide, each declared here with its source. A series has the labels listed for it plus those Prometheus
 * attaches when it scrapes a target through a ServiceMonitor.
 */
public final class MetricCatalogue {

    /** Labels the Prometheus Operator's scrape of a ServiceMonitor endpoint gives every series. */
    public static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "service", "pod",
            "container", "endpoint");

    /** Series from elsewhere that the rules may use, and where each comes from. */
    public static final Map<String, External> EXTERNAL = Map.of(
            "up", new External(Set.of(), "Prometheus itself: 1 when the scrape of a target succeeded, 0 when not"),
            "kube_pod_status_ready", new External(Set.of("namespace", "pod", "uid", "condition"),
                    "kube-state-metrics: a pod's Ready condition, one series per condition value"));

    private static final Pattern ENTRY = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([a-zA-Z_][a-zA-Z0-9_]*(?:,[a-zA-Z_][a-zA-Z0-9_]*)*)})?");

    /** @param labels the series' own labels, without the target labels */
    public record External(Set<String> labels, String source) {
    }

    private final Map<String, Set<String>> own;

    private MetricCatalogue(Map<String, Set<String>> own) {
        this.own = Collections.unmodifiableMap(own);
    }

    /** The list file: one {@code name} or {@code name{label,label}} a line; '#' starts a comment. */
    public static MetricCatalogue read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static MetricCatalogue parse(String text, String source) {
        Map<String, Set<String>> own = new LinkedHashMap<>();
        int number = 0;
        for (String raw : text.split("\n", -1)) {
            number++;
            String line = raw.replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            var m = ENTRY.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(source + " line " + number + ": not 'name' or 'name{label,...}': " + line);
            }
            Set<String> labels = new TreeSet<>();
            if (m.group(2) != null) {
                labels.addAll(Set.of(m.group(2).split(",")));
            }
            if (own.put(m.group(1), Collections.unmodifiableSet(labels)) != null) {
                throw new IllegalArgumentException(source + " line " + number + ": " + m.group(1) + " is listed twice");
            }
        }
        if (own.isEmpty()) {
            throw new IllegalArgumentException(source + " lists no series");
        }
        return new MetricCatalogue(own);
    }

    /** The service's own series and their labels (without target labels), in the list's order. */
    public Map<String, Set<String>> own() {
        return own;
    }

    /** Every label a selector of {@code series} may match on, or empty when the series is unknown. */
    public Optional<Set<String>> labels(String series) {
        Set<String> labels = new TreeSet<>(TARGET_LABELS);
        if (own.containsKey(series)) {
            labels.addAll(own.get(series));
        } else if (EXTERNAL.containsKey(series)) {
            labels.addAll(EXTERNAL.get(series).labels());
        } else {
            return Optional.empty();
        }
        return Optional.of(labels);
    }
}
