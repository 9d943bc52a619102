package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lesiontriage.deploy.monitoring.ExpressionCheck;
import org.lesiontriage.deploy.monitoring.MetricCatalogue;
import org.lesiontriage.deploy.promql.Node;
import org.lesiontriage.deploy.promql.PromQl;
import org.lesiontriage.deploy.promql.PromQlException;

/**
 * The PromQL parser takes what Prometheus takes and refuses what it refuses (syntax and the parser's type checks),
 * and an expression's series and labels are checked against a catalogue.
 */
@Tag("unit")
class PromQlTest {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.parse("""
            # a comment
            requests_total{code,method}
            latency_seconds_bucket{le}
            queue_depth
            """, "test list");

    @ParameterizedTest
    @ValueSource(strings = {
            "requests_total",
            "requests_total{code=\"500\", method=~\"GET|POST\",}",
            "{__name__=\"requests_total\", code!=\"200\"}",
            "rate(requests_total[5m])",
            "rate(requests_total[$__rate_interval])",
            "rate(requests_total{code=\"$code\"}[${interval}])",
            "sum by (code) (rate(requests_total[5m])) / ignoring (code) group_left sum(rate(requests_total[5m]))",
            "sum(rate(requests_total[5m])) without (method)",
            "histogram_quantile(0.99, sum by (le) (rate(latency_seconds_bucket[5m])))",
            "deriv(sum by (namespace) (clamp_min(queue_depth, 0))[30m:1m]) > 0",
            "max_over_time(queue_depth[1h:] offset 1d)",
            "queue_depth @ 1700000000 offset -5m",
            "topk(3, sum by (code) (requests_total))",
            "count_values(\"depth\", queue_depth)",
            "quantile(0.9, queue_depth)",
            "label_replace(queue_depth, \"dst\", \"$1\", \"pod\", \"(.*)\")",
            "a > bool 1 and on (x) b or c unless d",
            "-queue_depth ^ 2 ^ 3 % 4 atan2 queue_depth",
            "1 + 2 * 3 > bool 4",
            "vector(1) or scalar(queue_depth) * queue_depth",
            "queue_depth > Inf or queue_depth < -0x1F",
            "1e3 * queue_depth # a trailing comment",
            "SUM BY (code) (requests_total)",
            "time() - 3600",
            "absent(up{job='triage-service'})",
            "day_of_week() == bool 0",
            "round(queue_depth)",
            "label_join(queue_depth, \"both\", \"-\", \"a\", \"b\")"})
    void parsesWhatPrometheusParses(String expression) {
        assertThat(PromQl.parse(expression)).isNotNull();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("sum(rate(requests_total[5m])", "expected ')'"),
                Arguments.of("rate(requests_total[5m]))", "expected an operator or the end"),
                Arguments.of("rate(requests_total)", "rate() takes a range vector"),
                Arguments.of("requests_total[5m]", "not an instant vector or a scalar"),
                Arguments.of("(requests_total)[5m]", "only follows a vector selector"),
                Arguments.of("rate_of(requests_total[5m])", "unknown function rate_of()"),
                Arguments.of("histogram_quantile(requests_total, 0.9)", "histogram_quantile() takes a scalar"),
                Arguments.of("clamp_min(requests_total)", "clamp_min() takes 2 arguments, got 1"),
                Arguments.of("requests_total{code=\"500\"}, method=\"GET\"}", "expected an operator or the end"),
                Arguments.of("requests_total{code=500}", "a quoted label value"),
                Arguments.of("requests_total{code=\"500\" method=\"GET\"}", "expected ','"),
                Arguments.of("requests_total{code==\"500\"}", "expected =, !=, =~ or !~"),
                Arguments.of("requests_total{}[5m:x]", "a duration"),
                Arguments.of("1 and requests_total", "joins two instant vectors"),
                Arguments.of("1 > 2", "needs bool"),
                Arguments.of("requests_total + bool 1", "bool only modifies a comparison"),
                Arguments.of("sum(requests_total) by", "expected '('"),
                Arguments.of("topk(requests_total)", "takes a scalar parameter first"),
                Arguments.of("{code=\"500\"}", "needs a __name__ matcher"),
                Arguments.of("requests_total{code=\"500}", "unterminated string"),
                Arguments.of("rate(requests_total[5m]) offset", "a duration"),
                Arguments.of("sum by (code) ()", "expected an expression"),
                Arguments.of("rate(requests_total[5m]) offset 1h", "only follows a selector or a subquery"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWhatPrometheusRefuses(String expression, String message) {
        assertThatThrownBy(() -> PromQl.parseQuery(expression)).isInstanceOf(PromQlException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aGroupingAfterTheArgumentAndOperatorPrecedenceMakeTheRightTree() {
        Node node = PromQl.parse("a or b and c > 1 + 2 * d");

        assertThat(node).isInstanceOfSatisfying(Node.Binary.class, or -> {
            assertThat(or.op()).isEqualTo("or");
            assertThat(or.right()).isInstanceOfSatisfying(Node.Binary.class, and -> {
                assertThat(and.op()).isEqualTo("and");
                assertThat(and.right()).isInstanceOfSatisfying(Node.Binary.class, gt ->
                        assertThat(gt.op()).isEqualTo(">"));
            });
        });
        assertThat(PromQl.parse("sum(a) by (x)")).isInstanceOfSatisfying(Node.Aggregation.class, sum -> {
            assertThat(sum.grouping()).isEqualTo("by");
            assertThat(sum.labels()).containsExactly("x");
        });
    }

    @Test
    void everySeriesAndLabelIsCheckedAgainstTheCatalogue() {
        ExpressionCheck good = ExpressionCheck.of(CATALOGUE, "good",
                "sum by (code, namespace) (rate(requests_total{method=\"GET\", pod=~\"x.*\"}[5m])) > 0"
                        + " unless on (namespace) sum by (namespace) (queue_depth) > 5");
        assertThat(good.problems()).isEmpty();
        assertThat(good.series()).containsExactly("requests_total", "queue_depth");
        assertThat(good.resultLabels()).contains(Set.of("code", "namespace"));

        assertThat(ExpressionCheck.of(CATALOGUE, "s", "rate(request_total[5m])").problems())
                .singleElement().asString().contains("series request_total is not in the service's scrape");
        assertThat(ExpressionCheck.of(CATALOGUE, "s", "requests_total{methods=\"GET\"}").problems())
                .singleElement().asString().contains("label methods is not a label of requests_total");
        assertThat(ExpressionCheck.of(CATALOGUE, "s", "sum by (codes) (requests_total)").problems())
                .singleElement().asString().contains("sum by (codes)");
        assertThat(ExpressionCheck.of(CATALOGUE, "s", "sum by (code) (requests_total) / on (method) sum(queue_depth)")
                .problems()).singleElement().asString().contains("on (method)");
        assertThat(ExpressionCheck.of(CATALOGUE, "s", "{__name__=~\"requests.*\"}").problems())
                .singleElement().asString().contains("must name its series exactly");
        assertThat(ExpressionCheck.of(CATALOGUE, "s", "up == 0").problems()).as("a declared external series")
                .isEmpty();
        assertThat(ExpressionCheck.of(CATALOGUE, "s", "sum(rate(requests_total[5m])").problems())
                .singleElement().asString().contains("does not parse");
    }

    @Test
    void grafanaLabelValuesNamesASeriesAndOneOfItsLabels() {
        assertThat(ExpressionCheck.labelValues(CATALOGUE, "v", "label_values(requests_total, namespace)").problems())
                .isEmpty();
        assertThat(ExpressionCheck.labelValues(CATALOGUE, "v", "label_values(requests_total, namespaces)").problems())
                .singleElement().asString().contains("label namespaces is not a label of requests_total");
        assertThat(ExpressionCheck.labelValues(CATALOGUE, "v", "label_values(request_total, namespace)").problems())
                .singleElement().asString().contains("series request_total");
        assertThat(ExpressionCheck.labelValues(CATALOGUE, "v", "metrics(requests_.*)").problems())
                .singleElement().asString().contains("only label_values");
    }

    static Stream<Arguments> malformedLists() {
        return Stream.of(
                Arguments.of("requests_total{code", "not 'name' or 'name{label,...}'"),
                Arguments.of("requests_total{code,}", "not 'name' or 'name{label,...}'"),
                Arguments.of("a\na", "listed twice"),
                Arguments.of("# nothing", "lists no series"));
    }

    @ParameterizedTest
    @MethodSource("malformedLists")
    void aMalformedListIsRefused(String text, String message) {
        assertThatThrownBy(() -> MetricCatalogue.parse(text, "list"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
