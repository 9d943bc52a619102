package org.lesiontriage.clinictools.compare;

import java.util.List;
import java.util.Locale;
import org.lesiontriage.common.compare.ResultComparison;

/** The comparison as Markdown: printed by bin/compare and written next to its plot. */
final class ComparisonReport {

    /** Event ids listed per change direction; the rest is counted. */
    private static final int LISTED_IDS = 50;

    private ComparisonReport() {
    }

    static String markdown(ResultComparison c, String baselineTopic, String candidateTopic, String chartFile) {
        StringBuilder md = new StringBuilder();
        md.append("# Comparison: a candidate beside the live results\n\n");
        md.append(String.format(Locale.ROOT, "Baseline `%s`: %s. Candidate `%s`: %s.%n%n", baselineTopic,
                c.baselineModel(), candidateTopic, c.candidateModel()));
        md.append("| figure | value |\n|---|---:|\n");
        row(md, "events in both (joined by event id)", String.valueOf(c.joined()));
        row(md, "only in baseline / only in candidate", c.baselineOnly() + " / " + c.candidateOnly());
        row(md, "same priority (agreement)", String.format(Locale.ROOT, "%d (%.1f%%)", c.samePriority(), c.agreement() * 100));
        row(md, "URGENT in baseline / candidate", c.baselineUrgent() + " / " + c.candidateUrgent());
        row(md, "mean p(melanoma) baseline / candidate", String.format(Locale.ROOT, "%.4f / %.4f",
                c.shift().meanBaseline(), c.shift().meanCandidate()));
        row(md, "p(melanoma) shift: mean / mean absolute / max absolute", String.format(Locale.ROOT, "%+.4f / %.4f / %.4f",
                c.shift().meanDelta(), c.shift().meanAbsDelta(), c.shift().maxAbsDelta()));

        md.append("\n## Priority changes\n\n| baseline \\ candidate | URGENT | ROUTINE |\n|---|---:|---:|\n");
        int stayedUrgent = c.baselineUrgent() - c.urgentToRoutine().size();
        int stayedRoutine = c.joined() - c.baselineUrgent() - c.routineToUrgent().size();
        md.append(String.format(Locale.ROOT, "| URGENT | %d | %d |%n| ROUTINE | %d | %d |%n%n", stayedUrgent,
                c.urgentToRoutine().size(), c.routineToUrgent().size(), stayedRoutine));
        ids(md, "URGENT -> ROUTINE (a clinician would see these later)", c.urgentToRoutine());
        ids(md, "ROUTINE -> URGENT", c.routineToUrgent());

        md.append("## By clinic (most URGENT -> ROUTINE first)\n\n"
                + "| clinic | joined | URGENT -> ROUTINE | ROUTINE -> URGENT | agreement | mean p shift |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (ResultComparison.ClinicChanges clinic : c.byClinic()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.3f | %+.4f |%n", clinic.clinicId(),
                    clinic.joined(), clinic.urgentToRoutine(), clinic.routineToUrgent(), clinic.agreement(),
                    clinic.meanDelta()));
        }
        md.append('\n');

        md.append("## Screening metrics on the labelled joined events\n\n");
        if (c.baselineMetrics().labelled() == 0) {
            md.append("No labels given (bin/compare --labels FILE, as written by bin/simulate --labels-out).\n\n");
        } else {
            md.append("| model | labelled | sensitivity | specificity | ROC AUC | Brier | ECE |\n|---|---:|---:|---:|---:|---:|---:|\n");
            metrics(md, "baseline: " + c.baselineModel(), c.baselineMetrics());
            metrics(md, "candidate: " + c.candidateModel(), c.candidateMetrics());
            md.append("\nSensitivity and specificity at each model's own threshold (URGENT = predicted melanoma); Brier "
                    + "score of p(melanoma); top-label ECE over 15 confidence bins, as in the model card.\n\n");
        }
        if (chartFile != null) {
            md.append("## Distribution of p(melanoma)\n\n![p(melanoma) baseline vs candidate](").append(chartFile).append(")\n");
        }
        return md.toString();
    }

    private static void ids(StringBuilder md, String title, List<String> ids) {
        md.append("**").append(title).append("**: ").append(ids.size()).append(ids.isEmpty() ? "\n\n" : "\n\n");
        for (String id : ids.subList(0, Math.min(LISTED_IDS, ids.size()))) {
            md.append("- `").append(id).append("`\n");
        }
        if (ids.size() > LISTED_IDS) {
            md.append("- ... and ").append(ids.size() - LISTED_IDS).append(" more (all in the JSON file)\n");
        }
        if (!ids.isEmpty()) {
            md.append('\n');
        }
    }

    private static void metrics(StringBuilder md, String model, ResultComparison.Metrics m) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.4f | %.4f |%n", model, m.labelled(),
                m.sensitivity(), m.specificity(), m.auc(), m.brier(), m.ece()));
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
}
