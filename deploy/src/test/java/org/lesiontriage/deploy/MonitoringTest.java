package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lesiontriage.deploy.kube.Objects;
import org.lesiontriage.deploy.kube.RenderedManifests;
import org.lesiontriage.deploy.monitoring.MarkdownSections;
import org.lesiontriage.deploy.monitoring.MetricCatalogue;
import org.lesiontriage.deploy.monitoring.MonitoringValidator;
import tools.jackson.databind.JsonNode;

/**
 * k8s/monitoring against the service: its alert rules and Grafana dashboard use only series and labels of the
 * service's scrape (metric-names.txt, which the service's MonitoredMetricsTest keeps equal to a real /q/metrics)
 * and the two declared external series; every expression parses; every alert has its wait, severity, meaning and
 * runbook section; the ServiceMonitor and the NetworkPolicy reach the service's metrics port and path in every
 * overlay. BrokenMonitoringTest shows each check failing on a defective copy.
 */
@Tag("unit")
class MonitoringTest {

    static final List<String> OVERLAYS = ProjectFiles.SERVICE_OVERLAYS;
    static final String METRIC_NAMES = "k8s/monitoring/metric-names.txt";
    static final String DASHBOARD_JSON = "k8s/monitoring/lesion-triage-dashboard.json";
    /** What the on-call operator is alerted on (docs/operations.md, "Alerts"). */
    static final Set<String> ALERTS = Set.of("TriagePipelineStalled", "TriageConsumerLagHigh", "TriageConsumerLagGrowing",
            "TriageServiceNotReady", "TriageMetricsMissing", "TriageDeadLetterRateHigh", "TriageModelBroken",
            "TriageModelRunsFailing", "TriageShadowSkippedOften");

    static MonitoringValidator validator() {
        return new MonitoringValidator(MetricCatalogue.read(ProjectFiles.path(METRIC_NAMES)),
                MarkdownSections.anchors(ProjectFiles.path("docs/operations.md")));
    }

    private static RenderedManifests monitoring() {
        return ProjectFiles.rendered(ProjectFiles.MONITORING);
    }

    @Test
    void rulesAndPanelsParseAndNameOnlySeriesAndLabelsOfTheServicesScrape() {
        MonitoringValidator validator = validator();

        assertThat(validator.problems(monitoring().objects())).isEmpty();
        assertThat(validator.seriesUsed().keySet()).as("every rule and panel query was checked")
                .filteredOn(subject -> subject.startsWith("PrometheusRule/")).hasSize(ALERTS.size());
        assertThat(validator.seriesUsed().keySet()).filteredOn(subject -> subject.contains(" panel ")).hasSizeGreaterThan(20);
        assertThat(validator.seriesUsed().values()).allSatisfy(series -> assertThat(series).isNotEmpty());
    }

    @Test
    void theRulesAreTheAlertsTheOperatorNeedsEachDescribedInTheOperationsGuide() {
        JsonNode rule = monitoring().get("PrometheusRule", "triage-service");
        Set<String> alerts = new HashSet<>();
        rule.at("/spec/groups").forEach(group -> group.path("rules").forEach(r -> alerts.add(r.path("alert").asString())));

        assertThat(alerts).isEqualTo(ALERTS);
        assertThat(MarkdownSections.anchors(ProjectFiles.path("docs/operations.md")))
                .containsAll(ALERTS.stream().map(a -> a.toLowerCase(java.util.Locale.ROOT)).toList());
    }

    @Test
    void theOnlySeriesFromElsewhereAreTheDeclaredOnesAndEachIsUsed() {
        MonitoringValidator validator = validator();
        validator.problems(monitoring().objects());
        Set<String> own = MetricCatalogue.read(ProjectFiles.path(METRIC_NAMES)).own().keySet();

        Set<String> external = validator.seriesUsed().values().stream().flatMap(Set::stream)
                .filter(series -> !own.contains(series)).collect(Collectors.toCollection(TreeSet::new));

        assertThat(external).isEqualTo(MetricCatalogue.EXTERNAL.keySet());
        assertThat(external).noneMatch(series -> series.startsWith("triage_"));
    }

    @Test
    void theDashboardShowsWhatTheOperatorWatches() {
        MonitoringValidator validator = validator();
        validator.problems(monitoring().objects());
        Set<String> shown = validator.seriesUsed().entrySet().stream().filter(e -> e.getKey().contains(" panel "))
                .flatMap(e -> e.getValue().stream()).collect(Collectors.toSet());

        assertThat(shown).contains("triage_events_in_total", "triage_results_total", "triage_end_to_end_seconds_bucket",
                "triage_dead_letters_total", "triage_input_lag", "triage_batch_size_bucket",
                "triage_inference_seconds_bucket", "triage_shadow_results_total", "triage_shadow_skipped_total",
                "triage_model_failures_total");
    }

    @Test
    void theDashboardConfigMapIsTheRawJsonForGrafanasSidecar() throws IOException {
        JsonNode configMap = monitoring().get("ConfigMap", "triage-grafana-dashboard");

        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asString()).isEqualTo("1");
        assertThat(Objects.map(configMap.path("data")))
                .containsExactly(Map.entry("lesion-triage-dashboard.json",
                        Files.readString(ProjectFiles.path(DASHBOARD_JSON))));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theServiceMonitorScrapesTheServicesMetricsPathOnItsPortAndPrometheusMayReachIt(String overlay) {
        RenderedManifests service = ProjectFiles.rendered(overlay);
        JsonNode monitor = monitoring().get("ServiceMonitor", "triage-service");
        JsonNode svc = service.get("Service", "triage-service");
        JsonNode endpoint = monitor.at("/spec/endpoints/0");

        assertThat(Objects.map(svc.at("/metadata/labels"))).containsAllEntriesOf(
                Objects.map(monitor.at("/spec/selector/matchLabels")));
        JsonNode port = Objects.list(svc.at("/spec/ports")).stream()
                .filter(p -> p.path("name").asString().equals(endpoint.path("port").asString())).findFirst()
                .orElseThrow(() -> new AssertionError("the Service has no port " + endpoint.path("port")));
        AppContainer app = AppContainer.service(service);
        int containerPort = ServiceConfiguration.triage().port(app.environment());
        assertThat(Objects.list(app.container().path("ports"))).anySatisfy(p -> {
            assertThat(p.path("name").asString()).isEqualTo(port.path("targetPort").asString());
            assertThat(p.path("containerPort").asInt()).isEqualTo(containerPort);
        });
        assertThat(endpoint.path("path").asString()).isEqualTo(ServiceConfiguration.triage().path("metrics"));

        JsonNode policy = monitoring().get("NetworkPolicy", "triage-service-prometheus");
        assertThat(Objects.map(app.workload().at("/spec/template/metadata/labels")))
                .containsAllEntriesOf(Objects.map(policy.at("/spec/podSelector/matchLabels")));
        assertThat(Objects.list(policy.at("/spec/ingress/0/ports"))).extracting(p -> p.path("port").asInt())
                .containsExactly(containerPort);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theRulesNameTheServicesScrapeJobAndPods(String overlay) {
        RenderedManifests service = ProjectFiles.rendered(overlay);
        StringBuilder rules = new StringBuilder();
        monitoring().get("PrometheusRule", "triage-service").at("/spec/groups").forEach(group -> group.path("rules")
                .forEach(rule -> rules.append(rule.path("expr").asString()).append('\n')));
        String name = service.get("Service", "triage-service").at("/metadata/name").asString();

        // the job label of a ServiceMonitor's series is the Service's name (no jobLabel set)
        assertThat(monitoring().get("ServiceMonitor", "triage-service").at("/spec/jobLabel").isMissingNode()).isTrue();
        assertThat(rules).contains("up{job=\"" + name + "\"}");
        // a Deployment's pods are named after it: NAME-<replica set hash>-<pod hash>
        assertThat(AppContainer.service(service).workload().at("/metadata/name").asString()).isEqualTo("triage-service");
        assertThat(rules).contains("pod=~\"triage-service-[a-z0-9]+-[a-z0-9]+\"");
    }

    @Test
    void theMetricsTableOfTheOperationsGuideIsTheListsSeries() throws IOException {
        String guide = Files.readString(ProjectFiles.path("docs/operations.md"));
        Matcher section = Pattern.compile("(?s)\n## Metrics\n(.*?)\n## ").matcher(guide);
        assertThat(section.find()).isTrue();
        Set<String> documented = new TreeSet<>();
        Matcher name = Pattern.compile("(?m)^\\| `(triage_[a-z_]+)").matcher(section.group(1));
        while (name.find()) {
            documented.add(name.group(1));
        }
        Set<String> listed = MetricCatalogue.read(ProjectFiles.path(METRIC_NAMES)).own().keySet();
        Set<String> families = new TreeSet<>();
        for (String series : listed) {
            String histogram = series.replaceFirst("_(bucket|count|sum|max)$", "");
            families.add(listed.contains(histogram + "_bucket") ? histogram : series);
        }

        assertThat(documented).as("the table documents each metric of the list, by its family").isEqualTo(families);
    }
}
