package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lesiontriage.deploy.kube.Kustomize;
import org.lesiontriage.deploy.monitoring.MarkdownSections;
import org.lesiontriage.deploy.monitoring.MetricCatalogue;
import org.lesiontriage.deploy.monitoring.MonitoringValidator;
import tools.jackson.databind.JsonNode;

/**
 * The checks of k8s/monitoring fail on broken copies of it: the real files with one defect each (copied to a
 * temporary folder and rendered there), reported by the schema validation or by the rules' and dashboard's checks
 * against metric-names.txt and docs/operations.md.
 */
@Tag("unit")
class BrokenMonitoringTest {

    private static final String RULE = "k8s/monitoring/prometheus-rule.yaml";
    private static final String DASHBOARD = "k8s/monitoring/lesion-triage-dashboard.json";

    @TempDir
    Path copy;

    static Stream<Arguments> defects() {
        return Stream.of(
                Arguments.of("a misspelt series in a rule", RULE,
                        "(rate(triage_dead_letters_total[15m]))", "(rate(triage_dead_letter_total[15m]))",
                        "series triage_dead_letter_total is not in the service's scrape"),
                Arguments.of("a misspelt series in a dashboard panel", DASHBOARD,
                        "rate(triage_batch_size_bucket{", "rate(triage_batch_sizes_bucket{",
                        "panel 'Batch size (images per model run)' query A: series triage_batch_sizes_bucket"),
                Arguments.of("a misspelt series in the dashboard's variable", DASHBOARD,
                        "\"query\": \"label_values(triage_events_in_total, namespace)\"",
                        "\"query\": \"label_values(triage_event_in_total, namespace)\"",
                        "variable namespace: series triage_event_in_total"),
                Arguments.of("a label the series does not have", RULE,
                        "{model_answers_probe=\"false\"}", "{model_answer_probe=\"false\"}",
                        "label model_answer_probe is not a label of triage_model_failures_total"),
                Arguments.of("a grouping by a label nobody has", DASHBOARD,
                        "sum by (reason) (rate(triage_dead_letters_total", "sum by (reasons) (rate(triage_dead_letters_total",
                        "sum by (reasons)"),
                Arguments.of("a template label the alert's result does not have", RULE,
                        "Triage in {{ $labels.namespace }} is stalled", "Triage in {{ $labels.pod }} is stalled",
                        "uses $labels.pod, which the alert's result does not have"),
                Arguments.of("an unbalanced parenthesis", RULE,
                        "sum by (namespace) (clamp_min(triage_input_lag, 0)) > 7200",
                        "sum by (namespace) (clamp_min(triage_input_lag, 0) > 7200", "does not parse: expected ')'"),
                Arguments.of("rate() of an instant vector", DASHBOARD,
                        "sum(rate(triage_events_in_total{namespace=\\\"$namespace\\\"}[$__rate_interval]))",
                        "sum(rate(triage_events_in_total{namespace=\\\"$namespace\\\"}))", "rate() takes a range vector"),
                Arguments.of("an unknown function", RULE,
                        "deriv(sum by", "derivative(sum by", "unknown function derivative()"),
                Arguments.of("an alert without for", RULE,
                        "          for: 15m\n          labels:\n            severity: warning\n          annotations:\n"
                                + "            summary: \"Triage in {{ $labels.namespace }} is {{ $value }} images behind",
                        "          labels:\n            severity: warning\n          annotations:\n"
                                + "            summary: \"Triage in {{ $labels.namespace }} is {{ $value }} images behind",
                        "alert TriageConsumerLagHigh: no 'for'"),
                Arguments.of("a severity outside critical, warning, info", RULE,
                        "severity: info", "severity: low", "severity label 'low'"),
                Arguments.of("a runbook section the operations guide does not have", RULE,
                        "docs/operations.md#triagemodelbroken", "docs/operations.md#triage-model-broken",
                        "is not a section of docs/operations.md"),
                Arguments.of("an alert without a description", RULE,
                        "            description: >-\n              The scrape of /q/metrics fails",
                        "            note: >-\n              The scrape of /q/metrics fails",
                        "alert TriageMetricsMissing: no description annotation"),
                Arguments.of("a panel on another datasource", DASHBOARD,
                        "\"uid\": \"${datasource}\"", "\"uid\": \"prometheus\"", "not ${datasource}"),
                Arguments.of("a duration Prometheus cannot read (schema)", RULE,
                        "for: 30m", "for: 30 minutes", "for"),
                Arguments.of("a misspelt ServiceMonitor field (schema)", "k8s/monitoring/service-monitor.yaml",
                        "      interval: 30s", "      intervall: 30s", "intervall"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defects")
    void aDefectIsReported(String defect, String file, String good, String bad, String expected) throws IOException {
        BrokenManifestTest.copyTree(ProjectFiles.path("k8s"), copy.resolve("k8s"));
        Path broken = copy.resolve(file);
        String text = Files.readString(broken);
        assertThat(text).as("the defect's anchor in " + file).contains(good);
        Files.writeString(broken, text.replaceFirst(Pattern.quote(good), Matcher.quoteReplacement(bad)));

        assertThat(problems()).as(defect).anySatisfy(p -> assertThat(p).contains(expected));
    }

    @Test
    void theUnbrokenCopyHasNoProblems() throws IOException {
        BrokenManifestTest.copyTree(ProjectFiles.path("k8s"), copy.resolve("k8s"));

        assertThat(problems()).isEmpty();
    }

    @Test
    void aSeriesMissingFromTheListFailsTheRulesThatUseIt() throws IOException {
        BrokenManifestTest.copyTree(ProjectFiles.path("k8s"), copy.resolve("k8s"));
        Path list = copy.resolve(MonitoringTest.METRIC_NAMES);
        Files.writeString(list, Files.readString(list).replace("triage_input_lag\n", ""));

        assertThat(problems()).anySatisfy(p -> assertThat(p)
                .contains("alert TriagePipelineStalled: series triage_input_lag is not in the service's scrape"));
    }

    private List<String> problems() {
        List<JsonNode> objects = Kustomize.render(copy.resolve(ProjectFiles.MONITORING)).objects();
        List<String> problems = new ArrayList<>(ProjectFiles.validator().problems(objects));
        problems.addAll(new MonitoringValidator(MetricCatalogue.read(copy.resolve(MonitoringTest.METRIC_NAMES)),
                MarkdownSections.anchors(ProjectFiles.path("docs/operations.md"))).problems(objects));
        return problems;
    }
}
