package org.lesiontriage.clinictools.viewer;

import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;
import org.lesiontriage.clinictools.cli.Durations;
import org.lesiontriage.common.metrics.BinaryTriageMetrics;

/** The end-of-run summary as text for people. */
final class SummaryText {

    private SummaryText() {
    }

    static void print(RunSummary s, PrintStream out) {
        out.println("Triage run summary (" + Durations.format(s.wallSeconds()) + ")");
        out.printf("  results        %d   urgent %d   routine %d%s%n", s.results(), s.urgent(), s.routine(),
                s.unknownPriority() > 0 ? "   unknown " + s.unknownPriority() : "");
        out.printf("  dead letters   %d%s%n", s.deadLetters(), s.deadLettersByReason().isEmpty() ? ""
                : "   " + join(s.deadLettersByReason()));
        if (!s.unreadable().isEmpty()) {
            out.printf("  unreadable     %s%n", join(s.unreadable()));
        }
        if (s.missing() != null) {
            out.printf("  from labels    %d counted, %d not seen (yet), %d other records ignored%n",
                    s.results() + s.deadLetters(), s.missing(), s.ignored());
        }
        if (s.latencyMs().count() > 0) {
            out.printf("  latency ms     p50 %d   p95 %d   p99 %d   max %d   (scored_at - captured_at)%n",
                    s.latencyMs().percentile(50), s.latencyMs().percentile(95), s.latencyMs().percentile(99),
                    s.latencyMs().max());
        }
        if (!s.batchSizes().isEmpty()) {
            out.printf("  batch sizes    %s   (size: results)%n", join(s.batchSizes()));
        }
        s.models().forEach((model, count) -> out.printf("  model          %s: %d results%n", model, count));
        if (s.models().size() > 1) { // a switch or a canary: which clinic got which version
            s.modelsByClinic().forEach((clinic, versions) -> out.printf("  %-14s %s%n", clinic, versions.entrySet()
                    .stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "))));
        }
        if (!s.thresholds().isEmpty()) {
            out.printf("  threshold      %s%n", s.thresholds().stream().map(t -> String.format("%.6f", t))
                    .collect(Collectors.joining(", ")));
        }
        BinaryTriageMetrics m = s.metrics();
        if (m == null) {
            if (s.missing() != null) {
                out.println("  (no labelled results: no accuracy metrics)");
            }
            return;
        }
        out.printf("Against the labels (%d labelled results; predicted positive = URGENT)%n", s.labelledResults());
        out.println("                        URGENT   ROUTINE");
        out.printf("  true melanoma       %8d  %8d%n", m.truePositives(), m.falseNegatives());
        out.printf("  true non_melanoma   %8d  %8d%n", m.falsePositives(), m.trueNegatives());
        out.printf("  sensitivity %s   specificity %s   accuracy %s   balanced accuracy %s   ROC AUC %s%n",
                num(m.sensitivity()), num(m.specificity()), num(m.accuracy()), num(m.balancedAccuracy()),
                num(m.auc()));
    }

    static void printCardCheck(ModelCardCheck check, PrintStream out) {
        out.println("Model card check: " + check.file());
        String format = "  %-30s %-22s %-22s %-10s %s%n";
        out.printf(format, "metric", "card", "run", "tolerance", "result");
        for (ModelCardCheck.Row row : check.rows()) {
            out.printf(format, row.metric(), row.card(), row.run(), row.tolerance(), row.pass() ? "PASS" : "FAIL");
        }
        out.println("Model card check: " + (check.passed() ? "PASS" : "FAIL"));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format("%.4f", v) : "n/a";
    }

    private static String join(Map<?, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
