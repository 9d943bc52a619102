package org.lesiontriage.triage.inference;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads and checks the metadata the training module's export writes into the ONNX file. */
final class ModelMetadata {

    /** v1: 128 x 128; v2: v1's steps at the input size the model declares (docs/preprocessing.md). */
    static final java.util.Set<Integer> SUPPORTED_CONTRACT_VERSIONS = java.util.Set.of(1, 2);
    static final int V1_SIDE = 128;
    static final List<String> REQUIRED_KEYS =
            List.of("model_name", "model_version", "class_labels", "threshold", "preprocessing");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, String> entries;

    ModelMetadata(Path file, Map<String, String> entries) {
        this.file = file;
        this.entries = entries;
        for (String key : REQUIRED_KEYS) {
            if (entries.get(key) == null || entries.get(key).isBlank()) {
                throw problem("has no metadata entry '" + key + "'; re-export it with the training module");
            }
        }
    }

    Map<String, String> entries() {
        return entries;
    }

    String get(String key) {
        return entries.get(key);
    }

    List<String> classLabels() {
        try {
            List<String> labels = JSON.readValue(entries.get("class_labels"), new TypeReference<List<String>>() { });
            if (!labels.contains(ModelDescriptor.POSITIVE_CLASS)) {
                throw problem("class_labels " + labels + " lack '" + ModelDescriptor.POSITIVE_CLASS + "'");
            }
            return List.copyOf(labels);
        } catch (IOException e) {
            throw problem("has class_labels that are not a JSON list of strings");
        }
    }

    double threshold() {
        try {
            double threshold = Double.parseDouble(entries.get("threshold"));
            if (!(threshold > 0 && threshold < 1)) {
                throw problem("has threshold " + threshold + " outside (0, 1)");
            }
            return threshold;
        } catch (NumberFormatException e) {
            throw problem("has a threshold that is not a number: '" + entries.get("threshold") + "'");
        }
    }

    /** The preprocessing contract the model was trained with: one this service implements (1 or 2). */
    JsonNode preprocessing() {
        try {
            JsonNode contract = JSON.readTree(entries.get("preprocessing"));
            int version = contract.path("contract_version").asInt(contract.path("version").asInt(-1));
            if (!SUPPORTED_CONTRACT_VERSIONS.contains(version)) {
                throw problem("needs preprocessing contract version " + version + ", this service implements "
                        + supportedVersions());
            }
            int height = contract.path("resize").path("height").asInt(-1);
            int width = contract.path("resize").path("width").asInt(-1);
            if (version == 1 && (height != V1_SIDE || width != V1_SIDE)) {
                throw problem("declares contract version 1 at " + height + "x" + width + "; version 1 is "
                        + V1_SIDE + "x" + V1_SIDE + " (another size is version 2)");
            }
            return contract;
        } catch (IOException e) {
            throw problem("has preprocessing metadata that is not JSON");
        }
    }

    /** e.g. "1 and 2", for messages. */
    static String supportedVersions() {
        return String.join(" and ", SUPPORTED_CONTRACT_VERSIONS.stream().sorted().map(String::valueOf).toList());
    }

    ModelLoadException problem(String what) {
        return new ModelLoadException("Model " + file + " " + what);
    }
}
