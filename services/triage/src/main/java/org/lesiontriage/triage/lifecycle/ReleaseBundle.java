package org.lesiontriage.triage.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lesiontriage.contracts.Sha256;
import org.lesiontriage.contracts.GoldenImage;
import org.lesiontriage.contracts.ModelRelease;

/**
 * Makes the release record of a model folder as the training module exports it: model.onnx, model-card.json and
 * golden/index.json with its images. The card gives name, version, threshold and a summary; the golden index the
 * contract version and the images with the probabilities the model must give them.
 */
public final class ReleaseBundle {

    /** Golden probabilities of float models come from the same runtime; of quantised ones from a float64 evaluation. */
    static final double FLOAT_TOLERANCE = 1e-4;
    static final double QUANTISED_TOLERANCE = 2e-3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReleaseBundle() {
    }

    /**
     * @param onnxPath null to carry the model bytes inline; else the path every instance reads them from (a shared
     *                 volume), the release then holds only their hash
     */
    public static ModelRelease fromFolder(Path dir, String publishedBy, String onnxPath) throws IOException {
        byte[] onnx = Files.readAllBytes(dir.resolve("model.onnx"));
        JsonNode card = JSON.readTree(dir.resolve("model-card.json").toFile());
        JsonNode index = JSON.readTree(dir.resolve("golden").resolve("index.json").toFile());
        List<GoldenImage> golden = new ArrayList<>();
        for (JsonNode entry : index.path("entries")) {
            List<Double> probabilities = new ArrayList<>();
            entry.path("probabilities").forEach(p -> probabilities.add(p.asDouble()));
            golden.add(new GoldenImage(entry.path("name").asText(), entry.path("media_type").asText(),
                    ByteBuffer.wrap(Files.readAllBytes(dir.resolve("golden").resolve(entry.path("file").asText()))),
                    probabilities));
        }
        return ModelRelease.newBuilder()
                .setName(required(card, "model_name"))
                .setVersion(required(card, "model_version"))
                .setSha256(Sha256.hex(onnx))
                .setContractVersion(index.path("contract_version").asInt(1))
                .setThreshold(card.path("decision_rule").path("threshold").asDouble())
                .setCardSummary(summary(card))
                .setOnnx(onnxPath == null ? ByteBuffer.wrap(onnx) : null)
                .setOnnxPath(onnxPath)
                .setGolden(golden)
                .setGoldenTolerance(card.has("quantization") ? QUANTISED_TOLERANCE : FLOAT_TOLERANCE)
                .setPublishedAt(Instant.now())
                .setPublishedBy(publishedBy)
                .build();
    }

    /** The name and version of a model folder, from its card. */
    public static ModelKey keyOf(Path dir) throws IOException {
        JsonNode card = JSON.readTree(dir.resolve("model-card.json").toFile());
        return new ModelKey(required(card, "model_name"), required(card, "model_version"));
    }

    private static String required(JsonNode card, String field) throws IOException {
        String value = card.path(field).asText("");
        if (value.isBlank()) {
            throw new IOException("model-card.json has no " + field);
        }
        return value;
    }

    /** Architecture, the decision rule and the test figures: what an operator checks before activating. */
    static String summary(JsonNode card) {
        JsonNode test = card.path("metrics").path("test");
        StringBuilder summary = new StringBuilder(card.path("architecture").asText(""));
        summary.append(String.format("; threshold %.6f (%s)", card.path("decision_rule").path("threshold").asDouble(),
                card.path("decision_rule").path("rule").asText("")));
        if (test.has("auc")) {
            summary.append(String.format("; ISIC 2017 test: AUC %.3f, sensitivity %.3f, specificity %.3f (n=%d)",
                    test.path("auc").asDouble(), test.path("sensitivity").asDouble(),
                    test.path("specificity").asDouble(), test.path("n").asInt()));
        }
        summary.append("; ").append(card.path("intended_use").asText("").split("\\.")[0]).append('.');
        return summary.toString();
    }
}
