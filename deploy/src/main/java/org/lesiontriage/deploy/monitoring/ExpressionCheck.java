package org.lesiontriage.deploy.monitoring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.lesiontriage.deploy.promql.Node;
import org.lesiontriage.deploy.promql.Node.Aggregation;
import org.lesiontriage.deploy.promql.Node.Binary;
import org.lesiontriage.deploy.promql.Node.Call;
import org.lesiontriage.deploy.promql.Node.Literal;
import org.lesiontriage.deploy.promql.Node.Parenthesis;
import org.lesiontriage.deploy.promql.Node.Selector;
import org.lesiontriage.deploy.promql.Node.Subquery;
import org.lesiontriage.deploy.promql.Node.Unary;
import org.lesiontriage.deploy.promql.PromQl;
import org.lesiontriage.deploy.promql.PromQlException;

/**
 * One PromQL expression against the catalogue: it parses (and type-checks), every series it selects is in the
 * catalogue, and every label it names exists where it is named: in a selector's matchers, in by/on/group_left
 * lists, and (for alert templates) in the labels of its result, as Prometheus computes them.
 */
public final class ExpressionCheck {

    private final MetricCatalogue catalogue;
    private final String subject;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> series = new LinkedHashSet<>();
    private Set<String> resultLabels;
    private boolean parsed;

    private ExpressionCheck(MetricCatalogue catalogue, String subject) {
        this.catalogue = catalogue;
        this.subject = subject;
    }

    /** Checks {@code expression}, a rule's expr or a panel's query (an instant vector or a scalar). */
    public static ExpressionCheck of(MetricCatalogue catalogue, String subject, String expression) {
        ExpressionCheck check = new ExpressionCheck(catalogue, subject);
        try {
            Node node = PromQl.parseQuery(expression);
            check.parsed = true;
            check.resultLabels = check.labels(node);
        } catch (PromQlException e) {
            check.problems.add(subject + ": does not parse: " + e.getMessage());
        }
        return check;
    }

    /** Grafana's {@code label_values(selector, label)}, the query of a template variable. */
    public static ExpressionCheck labelValues(MetricCatalogue catalogue, String subject, String query) {
        ExpressionCheck check = new ExpressionCheck(catalogue, subject);
        var m = java.util.regex.Pattern.compile("label_values\\((.+),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)")
                .matcher(query.strip());
        if (!m.matches()) {
            check.problems.add(subject + ": only label_values(selector, label) is checked, not: " + query);
            return check;
        }
        try {
            Node node = PromQl.parse(m.group(1));
            if (!(node instanceof Selector)) {
                check.problems.add(subject + ": label_values() takes a series selector, not: " + m.group(1));
                return check;
            }
            check.parsed = true;
            Set<String> labels = check.labels(node);
            if (labels != null && !labels.contains(m.group(2))) {
                check.problems.add(subject + ": label " + m.group(2) + " is not a label of " + m.group(1).strip());
            }
        } catch (PromQlException e) {
            check.problems.add(subject + ": does not parse: " + e.getMessage());
        }
        return check;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The series it selects, in the order written. */
    public Set<String> series() {
        return series;
    }

    /** The labels of its result, or empty when it did not parse or selects an unknown series. */
    public Optional<Set<String>> resultLabels() {
        return parsed ? Optional.ofNullable(resultLabels) : Optional.empty();
    }

    /** The labels a node's values carry; null when unknown (a series not in the catalogue: reported once). */
    private Set<String> labels(Node node) {
        if (node instanceof Literal) {
            return Set.of();
        }
        if (node instanceof Selector selector) {
            return selector(selector);
        }
        if (node instanceof Parenthesis p) {
            return labels(p.inner());
        }
        if (node instanceof Unary u) {
            return labels(u.operand());
        }
        if (node instanceof Subquery s) {
            return labels(s.inner());
        }
        if (node instanceof Call call) {
            return call(call);
        }
        if (node instanceof Aggregation aggregation) {
            return aggregation(aggregation);
        }
        return binary((Binary) node);
    }

    private Set<String> selector(Selector selector) {
        Optional<String> metric = selector.metric();
        if (metric.isEmpty()) {
            problems.add(subject + ": a selector must name its series exactly (checked against the scrape): " + selector);
            return null;
        }
        series.add(metric.get());
        Optional<Set<String>> labels = catalogue.labels(metric.get());
        if (labels.isEmpty()) {
            problems.add(subject + ": series " + metric.get()
                    + " is not in the service's scrape (k8s/monitoring/metric-names.txt) nor a declared external series");
            return null;
        }
        for (Node.LabelMatcher matcher : selector.matchers()) {
            if (!matcher.label().equals("__name__") && !labels.get().contains(matcher.label())) {
                problems.add(subject + ": label " + matcher.label() + " is not a label of " + metric.get()
                        + " (it has " + labels.get() + ")");
            }
        }
        return labels.get();
    }

    private Set<String> call(Call call) {
        Set<String> labels = new TreeSet<>();
        boolean known = true;
        for (Node arg : call.args()) {
            Set<String> argLabels = labels(arg);
            if (argLabels == null) {
                known = false;
            } else {
                labels.addAll(argLabels);
            }
        }
        if (call.function().equals("label_replace") || call.function().equals("label_join")) {
            labels.add(((Literal) call.args().get(1)).text());
        }
        if (call.function().equals("vector") || call.function().equals("scalar")) {
            return Set.of();
        }
        return known ? labels : null;
    }

    private Set<String> aggregation(Aggregation aggregation) {
        if (aggregation.parameter() != null) {
            labels(aggregation.parameter());
        }
        Set<String> argument = labels(aggregation.argument());
        if (argument != null && "by".equals(aggregation.grouping())) {
            for (String label : aggregation.labels()) {
                if (!argument.contains(label)) {
                    problems.add(subject + ": " + aggregation.op() + " by (" + label + "): " + label
                            + " is not a label of what it aggregates (" + argument + ")");
                }
            }
        }
        if (argument == null) {
            return null;
        }
        Set<String> result = new TreeSet<>();
        switch (aggregation.op()) {
            case "topk", "bottomk", "limitk", "limit_ratio" -> result.addAll(argument);
            default -> {
                if ("by".equals(aggregation.grouping())) {
                    result.addAll(aggregation.labels());
                } else if ("without".equals(aggregation.grouping())) {
                    result.addAll(argument);
                    aggregation.labels().forEach(result::remove);
                }
            }
        }
        if (aggregation.op().equals("count_values")) {
            result.add(((Literal) aggregation.parameter()).text());
        }
        return result;
    }

    private Set<String> binary(Binary binary) {
        Set<String> left = labels(binary.left());
        Set<String> right = labels(binary.right());
        if (binary.left().type() == Node.Type.SCALAR) {
            return right;
        }
        if (binary.right().type() == Node.Type.SCALAR) {
            return left;
        }
        Node.VectorMatching matching = binary.matching();
        if (matching != null && matching.on() != null && left != null && right != null) {
            for (String label : matching.labels()) {
                if (matching.on().equals("on") && (!left.contains(label) || !right.contains(label))) {
                    problems.add(subject + ": on (" + label + "): " + label + " is not a label of both sides ("
                            + left + " and " + right + ")");
                }
            }
        }
        if (matching != null && matching.group() != null) {
            Set<String> other = matching.group().equals("group_left") ? right : left;
            for (String label : matching.include()) {
                if (other != null && !other.contains(label)) {
                    problems.add(subject + ": " + matching.group() + " (" + label + "): " + label
                            + " is not a label of the side it is copied from (" + other + ")");
                }
            }
        }
        if (left == null || right == null) {
            return null;
        }
        switch (binary.op()) {
            case "and", "unless" -> {
                return left;
            }
            case "or" -> {
                Set<String> union = new HashSet<>(left);
                union.addAll(right);
                return union;
            }
            default -> {
                if (matching != null && matching.group() != null) {
                    Set<String> result = new TreeSet<>(matching.group().equals("group_left") ? left : right);
                    result.addAll(matching.include());
                    return result;
                }
                Set<String> result = new TreeSet<>(left);
                if (matching != null && "on".equals(matching.on())) {
                    result.retainAll(matching.labels());
                } else if (matching != null && "ignoring".equals(matching.on())) {
                    matching.labels().forEach(result::remove);
                }
                return result;
            }
        }
    }
}
