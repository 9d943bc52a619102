package org.lesiontriage.clinictools.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lesiontriage.common.metrics.BinaryTriageMetrics;

/**
 * Compares a run over the test split with the test metrics the training code wrote into the model card
 * ({@code models/<name>/<version>/model-card.json}, block {@code metrics.test}). Equal confusion matrices show
 * that the service, scoring in Java through ONNX Runtime, makes the same decisions as the evaluation did in
 * Python; the AUC gets a small tolerance because the probabilities differ in the last float32 bits.
 */
final class ModelCardCheck {

    static final double AUC_TOLERANCE = 1e-3;
    static final double RATIO_TOLERANCE = 1e-9;

    /** One compared value. */
    record Row(String metric, String card, String run, String tolerance, boolean pass) {
    }

    private final Path file;
    private final List<Row> rows;

    private ModelCardCheck(Path file, List<Row> rows) {
        this.file = file;
        this.rows = rows;
    }

    static JsonNode read(Path cardFile) throws IOException {
        try {
            return new ObjectMapper().readTree(cardFile.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read model card " + cardFile + ": " + e.getMessage(), e);
        }
    }

    static ModelCardCheck compare(Path cardFile, JsonNode card, RunSummary run) {
        List<Row> rows = new ArrayList<>();
        // The card proper keeps them under metrics.test; an evaluation report has them under test.
        JsonNode test = card.path("metrics").path("test");
        if (test.isMissingNode()) {
            test = card.path("test");
        }

        String cardModel = card.path("model_name").asText("?") + " " + card.path("model_version").asText("?");
        List<String> runModels = run.models().keySet().stream().map(m -> m.replaceFirst(" \\(sha256 .*\\)$", ""))
                .distinct().toList();
        rows.add(new Row("model", cardModel, String.join(", ", runModels), "exact",
                runModels.size() == 1 && runModels.get(0).equals(cardModel)));

        JsonNode threshold = card.path("decision_rule").path("threshold");
        rows.add(new Row("threshold", threshold.isNumber() ? fmt(threshold.asDouble()) : "missing",
                run.thresholds().stream().map(ModelCardCheck::fmt).reduce((a, b) -> a + ", " + b).orElse("none"),
                "1e-9", threshold.isNumber() && run.thresholds().size() == 1
                        && Math.abs(run.thresholds().first() - threshold.asDouble()) <= RATIO_TOLERANCE));

        BinaryTriageMetrics m = run.metrics();
        int[][] cardMatrix = matrix(test.path("confusion_matrix"));
        String layout = test.path("confusion_matrix_layout").asText("");
        boolean layoutKnown = layout.isEmpty() || layout.contains("rows true [non_melanoma, melanoma]");
        int[][] runMatrix = m == null ? null : m.trainingLayout();
        String cardImages = cardMatrix == null ? "missing" : Long.toString(Arrays.stream(cardMatrix)
                .flatMapToInt(Arrays::stream).asLongStream().sum());
        rows.add(new Row("labelled images", cardImages, Long.toString(run.labelledResults()), "exact",
                cardImages.equals(Long.toString(run.labelledResults()))));
        rows.add(new Row("confusion [[tn,fp],[fn,tp]]", cardMatrix == null ? "missing" : Arrays.deepToString(cardMatrix)
                        + (layoutKnown ? "" : " (layout not understood: " + layout + ")"),
                runMatrix == null ? "no labelled results" : Arrays.deepToString(runMatrix), "exact",
                layoutKnown && cardMatrix != null && runMatrix != null && Arrays.deepEquals(cardMatrix, runMatrix)));

        rows.add(number("auc", test, m == null ? Double.NaN : m.auc(), AUC_TOLERANCE, "1e-3"));
        rows.add(number("sensitivity", test, m == null ? Double.NaN : m.sensitivity(), RATIO_TOLERANCE, "1e-9"));
        rows.add(number("specificity", test, m == null ? Double.NaN : m.specificity(), RATIO_TOLERANCE, "1e-9"));
        rows.add(number("accuracy", test, m == null ? Double.NaN : m.accuracy(), RATIO_TOLERANCE, "1e-9"));
        if (test.has("balanced_accuracy")) {
            rows.add(number("balanced_accuracy", test, m == null ? Double.NaN : m.balancedAccuracy(),
                    RATIO_TOLERANCE, "1e-9"));
        }
        return new ModelCardCheck(cardFile, rows);
    }

    private static Row number(String field, JsonNode test, double run, double tolerance, String toleranceText) {
        JsonNode value = test.path(field);
        boolean pass = value.isNumber() && Double.isFinite(run) && Math.abs(value.asDouble() - run) <= tolerance;
        return new Row(field, value.isNumber() ? fmt(value.asDouble()) : "missing",
                Double.isFinite(run) ? fmt(run) : "n/a", toleranceText, pass);
    }

    private static int[][] matrix(JsonNode node) {
        if (!node.isArray() || node.size() != 2) {
            return null;
        }
        int[][] m = new int[2][2];
        for (int i = 0; i < 2; i++) {
            JsonNode row = node.get(i);
            if (!row.isArray() || row.size() != 2) {
                return null;
            }
            m[i][0] = row.get(0).asInt();
            m[i][1] = row.get(1).asInt();
        }
        return m;
    }

    private static String fmt(double v) {
        return String.format("%.6f", v);
    }

    boolean passed() {
        return rows.stream().allMatch(Row::pass);
    }

    List<Row> rows() {
        return rows;
    }

    Path file() {
        return file;
    }
}
