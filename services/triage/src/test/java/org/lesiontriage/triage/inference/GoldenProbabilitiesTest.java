package org.lesiontriage.triage.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.testing.TestModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The served model, fed by the Java preprocessing, gives the probabilities the training module recorded for
 * its golden images (within 1e-4), one image at a time and all of them in one batch.
 */
@Tag("unit")
class GoldenProbabilitiesTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void javaPipelineReproducesTheTrainingModulesProbabilities() throws Exception {
        LesionClassifier classifier = TestModel.classifier();
        Path golden = TestModel.dir().resolve("golden");
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
            assertClose(entry, classifier.classify(alone, 1)[0], "alone");
        }
        float[][] together = classifier.classify(batch, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertClose(entries.get(i), together[i], "in a batch of " + entries.size());
        }
    }

    private static void assertClose(JsonNode entry, float[] actual, String how) {
        JsonNode expected = entry.path("probabilities");
        for (int c = 0; c < actual.length; c++) {
            assertThat((double) actual[c]).as("%s class %d %s", entry.path("name").asText(), c, how)
                    .isCloseTo(expected.path(c).asDouble(), org.assertj.core.data.Offset.offset(TOLERANCE));
        }
    }
}
