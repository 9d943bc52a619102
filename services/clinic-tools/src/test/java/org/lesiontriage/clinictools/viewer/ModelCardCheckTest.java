package org.lesiontriage.clinictools.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.common.labels.LabelledEvent;
import org.lesiontriage.common.labels.Label;

@Tag("unit")
class ModelCardCheckTest {

    private static final double THRESHOLD = 0.25;

    /** melanomas 0.9, 0.6, 0.1 and non-melanomas 0.7, 0.2, 0.1 at threshold 0.25: tp 2, fn 1, fp 1, tn 2. */
    private static RunSummary run() {
        double[] melanoma = {0.9, 0.6, 0.1};
        double[] benign = {0.7, 0.2, 0.1};
        Map<String, LabelledEvent> labels = new LinkedHashMap<>();
        RunCollector collector = new RunCollector(labels);
        Instant captured = Instant.parse("2026-01-01T00:00:00Z");
        for (double[] scores : new double[][] {melanoma, benign}) {
            Label label = scores == melanoma ? Label.MELANOMA : Label.NON_MELANOMA;
            for (double p : scores) {
                String id = UUID.randomUUID().toString();
                labels.put(id, new LabelledEvent(id, label, id + ".jpg"));
                collector.accept(new TriageRecord.Scored(
                        TestResults.result(id, "clinic-1", "case-1", p, THRESHOLD, captured, 100, 1)));
            }
        }
        return RunSummary.of(collector, 1);
    }

    /** A card in the training code's shape (card.py card_json), trimmed to what the check reads. */
    private static JsonNode card(String confusion, double auc, double sensitivity) throws Exception {
        // auc by hand: melanoma 0.9 beats 3, 0.6 beats 2, 0.1 beats 0 and ties 1 -> 5.5 / 9
        return new ObjectMapper().readTree("""
                {"model_name": "proposed", "model_version": "1.0.0",
                 "decision_rule": {"threshold": 0.25, "rule": "x", "urgent_if": "probabilities[1] >= threshold"},
                 "metrics": {"test": {"auc": %s, "sensitivity": %s, "specificity": %s, "accuracy": %s,
                   "balanced_accuracy": %s, "confusion_matrix": %s,
                   "confusion_matrix_layout": "rows true [non_melanoma, melanoma], columns predicted; p >= threshold"}}}
                """.formatted(auc, sensitivity, 2.0 / 3, 4.0 / 6, (sensitivity + 2.0 / 3) / 2, confusion));
    }

    @Test
    void passesWhenTheRunReproducesTheCard() throws Exception {
        ModelCardCheck check = ModelCardCheck.compare(Path.of("model-card.json"),
                card("[[2, 1], [1, 2]]", 5.5 / 9 + 0.0005, 2.0 / 3), run());
        assertThat(check.rows()).allSatisfy(row -> assertThat(row.pass()).as(row.toString()).isTrue());
        assertThat(check.passed()).isTrue();
        assertThat(check.rows()).extracting(ModelCardCheck.Row::metric).contains("model", "threshold",
                "labelled images", "auc", "sensitivity", "specificity", "accuracy", "balanced_accuracy");
    }

    @Test
    void failsOnAnyMismatchBeyondTolerance() throws Exception {
        ModelCardCheck check = ModelCardCheck.compare(Path.of("model-card.json"),
                card("[[2, 1], [0, 3]]", 5.5 / 9 + 0.002, 2.0 / 3 + 1e-6), run());
        assertThat(check.passed()).isFalse();
        assertThat(check.rows()).filteredOn(row -> !row.pass()).extracting(ModelCardCheck.Row::metric)
                .containsExactlyInAnyOrder("confusion [[tn,fp],[fn,tp]]", "auc", "sensitivity", "balanced_accuracy");
    }

    @Test
    void aCardWithoutTestMetricsFails() throws Exception {
        ModelCardCheck check = ModelCardCheck.compare(Path.of("model-card.json"),
                new ObjectMapper().readTree("{\"model_name\": \"proposed\", \"model_version\": \"1.0.0\"}"), run());
        assertThat(check.passed()).isFalse();
        assertThat(check.rows()).filteredOn(row -> row.metric().equals("auc")).first()
                .extracting(ModelCardCheck.Row::card).isEqualTo("missing");
    }
}
