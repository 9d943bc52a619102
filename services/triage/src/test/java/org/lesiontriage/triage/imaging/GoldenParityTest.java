package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.lesiontriage.contracts.ImageMediaType;
import org.lesiontriage.triage.testing.TestModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Parity with the training module: every golden image under {@code models/<name>/<version>/golden/}
 * must preprocess to the Python tensor within 1/255 per element.
 *
 * <p>Without golden files the test is skipped, unless {@code -Dlesion.golden.required=true} (release
 * builds), which makes their absence a failure. {@code -Dlesion.project.root} overrides the search for
 * the repository root.
 */
@Tag("unit")
class GoldenParityTest {

    private static final double TOLERANCE = 1.0 / 255.0;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> javaTensorsMatchTheTrainingModule() throws IOException {
        List<Path> indexes = goldenIndexes();
        if (indexes.isEmpty()) {
            String why = "no models/*/*/golden/index.json under " + describeRoot();
            if (Boolean.getBoolean("lesion.golden.required")) {
                throw new AssertionError("golden files are required (lesion.golden.required=true) but there are none: " + why);
            }
            // A single aborted test so that reports show the parity check as skipped, not silently absent.
            return Stream.of(DynamicTest.dynamicTest("golden files present",
                    () -> Assumptions.abort("golden files not produced yet, parity not checked: " + why)));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path index : indexes) {
            JsonNode root = JSON.readTree(index.toFile());
            assertThat(root.path("contract_version").asInt()).as("contract_version of %s", index).isEqualTo(1);
            int height = root.path("input_size").path(0).asInt();
            int width = root.path("input_size").path(1).asInt();
            ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), height, width);
            Path folder = index.getParent();
            for (JsonNode entry : root.path("entries")) {
                String name = folder.getParent().getParent().getFileName() + "/" + folder.getParent().getFileName() + "/" + entry.path("name").asText();
                tests.add(DynamicTest.dynamicTest(name, () -> checkEntry(preprocessor, folder, entry, height, width)));
            }
        }
        return tests.stream();
    }

    private static void checkEntry(ImagePreprocessor preprocessor, Path folder, JsonNode entry, int height, int width)
            throws Exception {
        byte[] image = Files.readAllBytes(folder.resolve(entry.path("file").asText()));
        float[] expected = readFloats(folder.resolve(entry.path("tensor").asText()));
        assertThat(expected).as("golden tensor length").hasSize(3 * height * width);

        String mediaType = entry.path("media_type").asText();
        float[] actual = preprocessor.preprocess(image, mediaType);
        if (entry.path("width").asInt() > 0) {
            // The index records the stored size, before orientation.
            java.awt.image.BufferedImage decoded =
                    ImageDecoder.decode(image, ImageMediaType.fromMediaType(mediaType).orElseThrow(), ImageLimits.defaults());
            assertThat(new int[] {decoded.getWidth(), decoded.getHeight()}).as("stored width, height")
                    .containsExactly(entry.path("width").asInt(), entry.path("height").asInt());
        }

        double maxDiff = 0;
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            if (diff > maxDiff) {
                maxDiff = diff;
                worst = i;
            }
        }
        int plane = height * width;
        System.out.printf("golden %s: max abs diff %.6f (%.3f/255)%n", entry.path("name").asText(), maxDiff, maxDiff * 255);
        assertThat(maxDiff)
                .as("max abs diff %.6f (%.3f/255) at channel %d, y %d, x %d: java %.6f, python %.6f",
                        maxDiff, maxDiff * 255, worst / plane, (worst % plane) / width, worst % width, actual[worst], expected[worst])
                .isLessThanOrEqualTo(TOLERANCE);
    }

    private static float[] readFloats(Path file) throws IOException {
        FloatBuffer floats = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[floats.remaining()];
        floats.get(out);
        return out;
    }

    private static List<Path> goldenIndexes() throws IOException {
        Path root = projectRoot();
        List<Path> indexes = new ArrayList<>();
        if (root == null) {
            return indexes;
        }
        try (Stream<Path> files = Files.find(root.resolve("models"), 4,
                (path, attributes) -> attributes.isRegularFile()
                        && path.getFileName().toString().equals("index.json")
                        && path.getParent().getFileName().toString().equals("golden"))) {
            files.sorted().forEach(indexes::add);
        }
        return indexes;
    }

    /** The directory holding both {@code pom.xml} and {@code models/}, or null where there is none. */
    private static Path projectRoot() {
        try {
            return TestModel.projectRoot();
        } catch (IllegalStateException none) {
            return null;
        }
    }

    private static String describeRoot() {
        Path root = projectRoot();
        return root == null ? "any parent of the working directory holding pom.xml and models/" : root.toString();
    }
}
