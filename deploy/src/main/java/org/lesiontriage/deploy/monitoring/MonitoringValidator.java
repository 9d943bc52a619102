package org.lesiontriage.deploy.monitoring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lesiontriage.deploy.YamlDocuments;
import org.lesiontriage.deploy.kube.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The alert rules (PrometheusRule) and Grafana dashboards (ConfigMaps labelled grafana_dashboard: "1") of rendered
 * manifests, checked beyond their schemas: every expression parses and names only series and labels of the
 * catalogue; every alert says how long it waits ({@code for}), how bad it is ({@code severity}: critical, warning or
 * info), what it means (summary, description) and where the on-call operator reads on ({@code runbook_url}, a
 * section of docs/operations.md); templates use only labels the alert's result has; every panel queries the
 * dashboard's Prometheus variable.
 */
public final class MonitoringValidator {

    public static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    public static final String RUNBOOK = "docs/operations.md#";
    public static final String DATASOURCE = "${datasource}";
    private static final Pattern TEMPLATE_LABEL = Pattern.compile("\\$labels\\.([A-Za-z_][A-Za-z0-9_]*)");

    private final MetricCatalogue catalogue;
    private final Set<String> runbookSections;
    /** The series each rule and panel selects, by "PrometheusRule/name alert X" or "dashboard panel title". */
    private final Map<String, Set<String>> seriesUsed = new LinkedHashMap<>();

    /** @param runbookSections the anchors of docs/operations.md's headings */
    public MonitoringValidator(MetricCatalogue catalogue, Set<String> runbookSections) {
        this.catalogue = catalogue;
        this.runbookSections = Set.copyOf(runbookSections);
    }

    public List<String> problems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        for (JsonNode object : objects) {
            if (Objects.kind(object).equals("PrometheusRule")) {
                problems.addAll(rules(object));
            } else if (Objects.kind(object).equals("ConfigMap")
                    && object.at("/metadata/labels/grafana_dashboard").asString("").equals("1")) {
                object.path("data").properties().forEach(entry -> problems.addAll(
                        dashboard(Objects.id(object) + " " + entry.getKey(), entry.getValue().asString(""))));
            }
        }
        return problems;
    }

    /** The series each checked rule or panel selected (after {@link #problems}). */
    public Map<String, Set<String>> seriesUsed() {
        return seriesUsed;
    }

    private List<String> rules(JsonNode rule) {
        List<String> problems = new ArrayList<>();
        Set<String> groups = new HashSet<>();
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : rule.at("/spec/groups")) {
            String groupName = group.path("name").asString("");
            if (!groups.add(groupName)) {
                problems.add(Objects.id(rule) + ": group " + groupName + " twice");
            }
            for (JsonNode entry : group.path("rules")) {
                String name = entry.has("alert") ? "alert " + entry.path("alert").asString("")
                        : "record " + entry.path("record").asString("");
                String subject = Objects.id(rule) + " " + name;
                ExpressionCheck check = ExpressionCheck.of(catalogue, subject, entry.path("expr").asString(""));
                problems.addAll(check.problems());
                seriesUsed.put(subject, check.series());
                if (entry.has("alert")) {
                    if (!alerts.add(entry.path("alert").asString(""))) {
                        problems.add(subject + ": the alert is defined twice");
                    }
                    problems.addAll(alert(subject, entry, check));
                }
            }
        }
        return problems;
    }

    private List<String> alert(String subject, JsonNode alert, ExpressionCheck check) {
        List<String> problems = new ArrayList<>();
        if (!alert.has("for")) {
            problems.add(subject + ": no 'for' (how long the condition must hold before it fires)");
        }
        String severity = alert.at("/labels/severity").asString("");
        if (!SEVERITIES.contains(severity)) {
            problems.add(subject + ": severity label '" + severity + "' is not one of " + SEVERITIES);
        }
        for (String annotation : List.of("summary", "description", "runbook_url")) {
            if (alert.at("/annotations/" + annotation).asString("").isBlank()) {
                problems.add(subject + ": no " + annotation + " annotation");
            }
        }
        String runbook = alert.at("/annotations/runbook_url").asString("");
        if (!runbook.isBlank() && (!runbook.startsWith(RUNBOOK)
                || !runbookSections.contains(runbook.substring(RUNBOOK.length())))) {
            problems.add(subject + ": runbook_url " + runbook + " is not a section of docs/operations.md");
        }
        check.resultLabels().ifPresent(labels -> {
            for (String field : List.of("annotations", "labels")) {
                alert.path(field).properties().forEach(entry -> {
                    Matcher m = TEMPLATE_LABEL.matcher(entry.getValue().asString(""));
                    while (m.find()) {
                        if (!labels.contains(m.group(1))) {
                            problems.add(subject + ": " + field + "." + entry.getKey() + " uses $labels."
                                    + m.group(1) + ", which the alert's result does not have (it has " + labels + ")");
                        }
                    }
                });
            }
        });
        return problems;
    }

    private List<String> dashboard(String subject, String json) {
        List<String> problems = new ArrayList<>();
        JsonNode dashboard;
        try {
            dashboard = YamlDocuments.json(json);
        } catch (RuntimeException e) {
            return List.of(subject + ": not JSON: " + e.getMessage());
        }
        if (dashboard.path("uid").asString("").isBlank() || dashboard.path("title").asString("").isBlank()) {
            problems.add(subject + ": a dashboard needs a uid and a title");
        }
        boolean hasDatasourceVariable = false;
        for (JsonNode variable : dashboard.at("/templating/list")) {
            String name = variable.path("name").asString("");
            if (variable.path("type").asString("").equals("datasource")) {
                hasDatasourceVariable |= name.equals("datasource")
                        && variable.path("query").asString("").equals("prometheus");
            } else if (variable.path("type").asString("").equals("query")) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asString("") : query.asString("");
                ExpressionCheck check = ExpressionCheck.labelValues(catalogue, subject + " variable " + name, text);
                problems.addAll(check.problems());
                seriesUsed.put(subject + " variable " + name, check.series());
            }
        }
        if (!hasDatasourceVariable) {
            problems.add(subject + ": no Prometheus datasource variable named datasource");
        }
        Set<Integer> ids = new HashSet<>();
        panels(subject, dashboard.path("panels"), ids, problems);
        return problems;
    }

    private void panels(String subject, JsonNode panels, Set<Integer> ids, List<String> problems) {
        for (JsonNode panel : panels) {
            String where = subject + " panel '" + panel.path("title").asString("") + "'";
            if (!ids.add(panel.path("id").asInt(-1))) {
                problems.add(where + ": id " + panel.path("id") + " is missing or repeated");
            }
            panels(subject, panel.path("panels"), ids, problems); // a row's panels
            if (panel.path("type").asString("").equals("row")) {
                continue;
            }
            if (!panel.at("/datasource/uid").asString("").equals(DATASOURCE)) {
                problems.add(where + ": queries " + panel.path("datasource") + ", not " + DATASOURCE);
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(where + ": no query");
            }
            Set<String> used = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                String refId = target.path("refId").asString("");
                ExpressionCheck check = ExpressionCheck.of(catalogue, where + " query " + refId,
                        target.path("expr").asString(""));
                problems.addAll(check.problems());
                seriesUsed.put(where + " query " + refId, check.series());
                if (refId.isBlank() || !used.add(refId)) {
                    problems.add(where + ": query refId '" + refId + "' is missing or repeated");
                }
            }
        }
    }
}
