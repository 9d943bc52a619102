package org.lesiontriage.triage.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.testing.ModelVariants;
import org.lesiontriage.triage.testing.TestModel;

/**
 * What an instance checks before it may serve a release, on the committed models and their golden images: a sound
 * release loads; a corrupt one (bytes that do not hash to the release's sha256, a graph that fails its golden
 * images, a contract this service lacks, a file of another version) is refused with a reason that says which.
 */
@Tag("unit")
class ReleaseVerifierTest {

    private static final Path SERVED = TestModel.dir();
    private static final Path INT8 = TestModel.projectRoot().resolve("models/triagenet/2.0.0-int8");

    @TempDir
    Path cache;

    private ReleaseVerifier verifier() {
        return new ReleaseVerifier(cache, InferenceOptions.cpu(1), ImageLimits.defaults());
    }

    @Test
    void aSoundReleaseLoadsWithItsGoldenImagesChecked() throws Exception {
        ModelRelease release = ReleaseBundle.fromFolder(INT8, "test", null);

        try (var model = verifier().prepare(release).classifier()) {
            assertThat(model.descriptor().version()).isEqualTo("2.0.0-int8");
            assertThat(model.descriptor().sha256()).isEqualTo(release.getSha256());
        }
        assertThat(release.getGolden()).hasSize(14);
        assertThat(release.getGoldenTolerance()).as("quantised: golden from float64").isEqualTo(2e-3);
        assertThat(release.getCardSummary()).contains("AUC 0.712").contains("threshold 0.228179");
    }

    @Test
    void bytesThatDoNotHashToTheReleasesSha256AreRefused() throws Exception {
        ModelRelease release = ReleaseBundle.fromFolder(SERVED, "test", null);
        byte[] tampered = Files.readAllBytes(SERVED.resolve("model.onnx"));
        tampered[tampered.length / 2] ^= 1;
        release.setOnnx(ByteBuffer.wrap(tampered));

        assertThatThrownBy(() -> verifier().prepare(release)).isInstanceOf(ReleaseRejectedException.class)
                .hasMessageStartingWith("sha256 mismatch: the release names " + release.getSha256());
    }

    @Test
    void aGraphThatFailsItsGoldenImagesIsRefused() throws Exception {
        // The int8 graph with the float model's golden probabilities and tolerance: it differs by up to 0.015.
        ModelRelease golden = ReleaseBundle.fromFolder(SERVED, "test", null);
        ModelRelease release = ReleaseBundle.fromFolder(INT8, "test", null);
        release.setGolden(golden.getGolden());
        release.setGoldenTolerance(golden.getGoldenTolerance());

        assertThatThrownBy(() -> verifier().prepare(release)).isInstanceOf(ReleaseRejectedException.class)
                .hasMessageMatching("golden image \\S+: class \\d scores 0\\.\\d+, the release expects 0\\.\\d+ \\(tolerance 1e-04\\)");
    }

    @Test
    void aContractThisServiceLacksIsRefusedBeforeLoading(@TempDir Path variant) throws Exception {
        ObjectNode contract = (ObjectNode) new ObjectMapper().readTree(
                TestModel.classifier().descriptor().metadata().get("preprocessing"));
        contract.put("contract_version", 99);
        ModelVariants.withMetadata(SERVED, variant, Map.of("preprocessing", contract.toString()));
        copyCardAndGolden(variant);
        ModelRelease release = ReleaseBundle.fromFolder(variant, "test", null);
        release.setContractVersion(99);

        assertThatThrownBy(() -> verifier().prepare(release)).isInstanceOf(ReleaseRejectedException.class)
                .hasMessage("needs preprocessing contract version 99; this service implements 1 and 2");
        release.setContractVersion(1); // a release that misstates it is caught by the file's own metadata
        assertThatThrownBy(() -> verifier().prepare(release)).isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("needs preprocessing contract version 99, this service implements 1 and 2");
    }

    @Test
    void aFileOfAnotherVersionThanTheReleaseSaysIsRefused() throws Exception {
        ModelRelease release = ReleaseBundle.fromFolder(SERVED, "test", null);
        release.setVersion("2.0.1");

        assertThatThrownBy(() -> verifier().prepare(release)).isInstanceOf(ReleaseRejectedException.class)
                .hasMessage("the model file is triagenet 2.0.0, the release says triagenet 2.0.1");
    }

    private static void copyCardAndGolden(Path variant) throws Exception {
        Files.copy(SERVED.resolve("model-card.json"), variant.resolve("model-card.json"));
        Path golden = Files.createDirectories(variant.resolve("golden"));
        try (var files = Files.list(SERVED.resolve("golden"))) {
            for (Path file : files.toList()) {
                Files.copy(file, golden.resolve(file.getFileName()));
            }
        }
    }
}
