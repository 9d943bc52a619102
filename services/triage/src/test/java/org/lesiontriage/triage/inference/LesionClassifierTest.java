package org.lesiontriage.triage.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lesiontriage.triage.testing.TestModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served model: loads, describes itself from its metadata, and refuses what it cannot serve. */
@Tag("unit")
class LesionClassifierTest {

    @Test
    void describesTheServedModelFromItsMetadata() {
        ModelDescriptor model = TestModel.classifier().descriptor();
        assertThat(model.classLabels()).containsExactly("non_melanoma", "melanoma");
        assertThat(model.positiveClassIndex()).isEqualTo(1);
        assertThat(model.inputHeight()).isEqualTo(128);
        assertThat(model.inputWidth()).isEqualTo(128);
        assertThat(model.threshold()).isStrictlyBetween(0.0, 1.0);
        assertThat(model.sha256()).isEqualTo(LesionClassifier.sha256(TestModel.dir().resolve("model.onnx")));
        assertThat(model.metadata()).containsKeys("model_name", "model_version", "preprocessing");
    }

    @Test
    void classifiesABatchIntoProbabilitiesThatSumToOne() throws Exception {
        LesionClassifier classifier = TestModel.classifier();
        FloatBuffer batch = classifier.newBatchBuffer(3);
        for (int i = 0; i < batch.capacity(); i++) {
            batch.put(i, (i % 255) / 255f);
        }
        float[][] probabilities = classifier.classify(batch, 3);
        assertThat(probabilities).hasDimensions(3, 2);
        for (float[] p : probabilities) {
            assertThat(p[0] + p[1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void scoresAnImageTheSameAloneAndInABatch() throws Exception {
        LesionClassifier classifier = TestModel.classifier();
        int length = classifier.descriptor().tensorLength();
        FloatBuffer batch = classifier.newBatchBuffer(4);
        for (int i = 0; i < 4 * length; i++) {
            batch.put(i, ((i * 31) % 256) / 255f);
        }
        float[][] together = classifier.classify(batch, 4);
        FloatBuffer alone = classifier.newBatchBuffer(1);
        for (int i = 0; i < length; i++) {
            alone.put(i, batch.get(2 * length + i));
        }
        assertThat(classifier.classify(alone, 1)[0]).containsExactly(together[2], org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void refusesAMissingModelNamingTheFile(@TempDir Path empty) {
        assertThatThrownBy(() -> LesionClassifier.load(empty, InferenceOptions.cpu(1)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("Model file not found")
                .hasMessageContaining(empty.resolve("model.onnx").toString());
    }

    @Test
    void refusesACorruptModelNamingTheFile(@TempDir Path dir) throws Exception {
        byte[] real = Files.readAllBytes(TestModel.dir().resolve("model.onnx"));
        Files.write(dir.resolve("model.onnx"), java.util.Arrays.copyOf(real, real.length / 3));
        assertThatThrownBy(() -> LesionClassifier.load(dir, InferenceOptions.cpu(1)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.resolve("model.onnx").toString())
                .hasMessageContaining("not a loadable ONNX model");
    }

    @Test
    void cudaOnTheCpuBuildFailsFastWithAClearMessageWhileAutoFallsBack() {
        InferenceOptions cuda = new InferenceOptions(InferenceDevice.CUDA, 1, 0, 1);
        assertThatThrownBy(() -> LesionClassifier.load(TestModel.dir(), cuda))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("CUDA is unavailable");
        try (LesionClassifier auto = LesionClassifier.load(TestModel.dir(), new InferenceOptions(InferenceDevice.AUTO, 1, 0, 1))) {
            assertThat(auto.device()).isEqualTo(InferenceDevice.CPU);
        }
    }

    /** Contract v2 is v1's steps at the declared size: 128 declared as v2 loads; v1 at another size does not. */
    @Test
    void servesContractVersionsOneAndTwoAndRefusesAV1ModelClaimingAnotherSize(@TempDir Path dir) throws Exception {
        String v1 = TestModel.classifier().descriptor().metadata().get("preprocessing");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var asV2 = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(v1);
        asV2.put("contract_version", 2);
        Path v2Dir = org.lesiontriage.triage.testing.ModelVariants.withMetadata(TestModel.dir(), dir.resolve("v2"),
                java.util.Map.of("preprocessing", asV2.toString()));
        try (LesionClassifier model = LesionClassifier.load(v2Dir, InferenceOptions.cpu(1))) {
            assertThat(model.descriptor().inputHeight()).isEqualTo(128);
        }

        var v1At160 = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(v1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) v1At160.get("resize")).put("height", 160).put("width", 160);
        Path wrongDir = org.lesiontriage.triage.testing.ModelVariants.withMetadata(TestModel.dir(), dir.resolve("v1-160"),
                java.util.Map.of("preprocessing", v1At160.toString()));
        assertThatThrownBy(() -> LesionClassifier.load(wrongDir, InferenceOptions.cpu(1)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("declares contract version 1 at 160x160; version 1 is 128x128");
    }
}
