package org.lesiontriage.clinictools.viewer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.lesiontriage.common.metrics.BinaryTriageMetrics;
import org.lesiontriage.common.metrics.Percentiles;

/** The end-of-run summary as JSON, for scripts and CI. Undefined numbers (no positives, ...) are null. */
final class SummaryJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    static ObjectNode of(RunSummary s, ModelCardCheck check) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("wall_time_s", s.wallSeconds());
        root.put("results", s.results());
        root.put("urgent", s.urgent());
        root.put("routine", s.routine());
        root.put("unknown_priority", s.unknownPriority());
        root.put("dead_letters", s.deadLetters());
        root.set("dead_letters_by_reason", counts(s.deadLettersByReason()));
        root.set("unreadable", counts(s.unreadable()));
        if (s.missing() != null) {
            root.put("not_seen_from_labels", s.missing());
            root.put("ignored_not_in_labels", s.ignored());
        }
        Percentiles latency = s.latencyMs();
        ObjectNode latencyNode = root.putObject("latency_ms");
        latencyNode.put("count", latency.count());
        latencyNode.put("p50", latency.percentile(50));
        latencyNode.put("p95", latency.percentile(95));
        latencyNode.put("p99", latency.percentile(99));
        latencyNode.put("max", latency.max());
        root.set("batch_sizes", counts(s.batchSizes()));
        root.set("models", counts(s.models()));
        ObjectNode byClinic = root.putObject("models_by_clinic");
        s.modelsByClinic().forEach((clinic, versions) -> byClinic.set(clinic, counts(versions)));
        ArrayNode thresholds = root.putArray("thresholds");
        s.thresholds().forEach(thresholds::add);

        BinaryTriageMetrics m = s.metrics();
        if (m == null) {
            root.putNull("labelled");
        } else {
            ObjectNode labelled = root.putObject("labelled");
            labelled.put("results", s.labelledResults());
            ObjectNode matrix = labelled.putObject("confusion_matrix");
            ObjectNode melanoma = matrix.putObject("melanoma");
            melanoma.put("urgent", m.truePositives());
            melanoma.put("routine", m.falseNegatives());
            ObjectNode nonMelanoma = matrix.putObject("non_melanoma");
            nonMelanoma.put("urgent", m.falsePositives());
            nonMelanoma.put("routine", m.trueNegatives());
            ArrayNode training = labelled.putArray("confusion_matrix_training_layout");
            for (int[] row : m.trainingLayout()) {
                training.addArray().add(row[0]).add(row[1]);
            }
            number(labelled, "sensitivity", m.sensitivity());
            number(labelled, "specificity", m.specificity());
            number(labelled, "accuracy", m.accuracy());
            number(labelled, "balanced_accuracy", m.balancedAccuracy());
            number(labelled, "auc", m.auc());
        }
        if (check != null) {
            ObjectNode card = root.putObject("card_check");
            card.put("file", check.file().toString());
            card.put("passed", check.passed());
            ArrayNode rows = card.putArray("rows");
            for (ModelCardCheck.Row row : check.rows()) {
                rows.addObject().put("metric", row.metric()).put("card", row.card()).put("run", row.run())
                        .put("tolerance", row.tolerance()).put("pass", row.pass());
            }
        }
        return root;
    }

    static void write(ObjectNode report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        MAPPER.writeValue(file.toFile(), report);
    }

    private static ObjectNode counts(Map<?, Long> counts) {
        ObjectNode node = MAPPER.createObjectNode();
        counts.forEach((key, count) -> node.put(String.valueOf(key), count));
        return node;
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
