package org.lesiontriage.triage.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.testing.TestModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each committed model, fed by the Java preprocessing, gives the probabilities the training module recorded for
 * its golden images, one image at a time and all of them in one batch: the served model within 1e-4, its int8
 * variant within 2e-3 (its golden probabilities are the QDQ graph in float64; ONNX Runtime's fused integer
 * kernels round the requantisation in float32, see that folder's golden/README.md).
 */
@Tag("unit")
class GoldenProbabilitiesTest {

    static final String INT8_VARIANT = "models/triagenet/2.0.0-int8";

    static Stream<Arguments> models() {
        return Stream.of(Arguments.of(TestModel.dir(), 1e-4),
                Arguments.of(TestModel.projectRoot().resolve(INT8_VARIANT), 2e-3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void javaPipelineReproducesTheTrainingModulesProbabilities(Path modelDir, double tolerance) throws Exception {
        boolean served = modelDir.equals(TestModel.dir());
        LesionClassifier classifier = served ? TestModel.classifier()
                : LesionClassifier.load(modelDir, InferenceOptions.cpu(1));
        try {
            reproducesGoldenProbabilities(classifier, modelDir.resolve("golden"), tolerance);
        } finally {
            if (!served) {
                classifier.close();
            }
        }
    }

    private static void reproducesGoldenProbabilities(LesionClassifier classifier, Path golden, double tolerance)
            throws Exception {
        JsonNode index = new ObjectMapper().readTree(golden.resolve("index.json").toFile());
        assertThat(index.path("model_sha256").asText()).as("golden files belong to this model")
                .isEqualTo(classifier.descriptor().sha256());
        ModelDescriptor model = classifier.descriptor();
        ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), model.inputHeight(), model.inputWidth());

        List<JsonNode> entries = new ArrayList<>();
        index.path("entries").forEach(entries::add);
        assertThat(entries).hasSizeGreaterThanOrEqualTo(12);
        FloatBuffer batch = classifier.newBatchBuffer(entries.size());
        for (JsonNode entry : entries) {
            byte[] image = Files.readAllBytes(golden.resolve(entry.path("file").asText()));
            float[] tensor = preprocessor.preprocess(image, entry.path("media_type").asText());
            batch.put(tensor);
            FloatBuffer alone = classifier.newBatchBuffer(1).put(tensor);
            assertClose(entry, classifier.classify(alone, 1)[0], "alone", tolerance);
        }
        float[][] together = classifier.classify(batch, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertClose(entries.get(i), together[i], "in a batch of " + entries.size(), tolerance);
        }
    }

    private static void assertClose(JsonNode entry, float[] actual, String how, double tolerance) {
        JsonNode expected = entry.path("probabilities");
        for (int c = 0; c < actual.length; c++) {
            assertThat((double) actual[c]).as("%s class %d %s", entry.path("name").asText(), c, how)
                    .isCloseTo(expected.path(c).asDouble(), org.assertj.core.data.Offset.offset(tolerance));
        }
    }
}
