package org.lesiontriage.triage.lifecycle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.lesiontriage.contracts.Sha256;
import org.lesiontriage.contracts.GoldenImage;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.imaging.ImageRejectedException;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.inference.ModelDescriptor;
import org.lesiontriage.triage.inference.ModelLoadException;

/**
 * Turns a release into a loaded model, or refuses it with a reason: the bytes' SHA-256 must be the release's, the
 * ONNX file must load under a preprocessing contract this service implements and name the release's version and
 * threshold, and every golden image must score as the release says through this service's own decoding,
 * preprocessing and runtime. A refused release is never handed to a stream task.
 */
public final class ReleaseVerifier {

    private final Path cacheDir;
    private final InferenceOptions inference;
    private final ImageLimits limits;

    /** @param cacheDir where released model files are written to be loaded (one folder per name and version) */
    public ReleaseVerifier(Path cacheDir, InferenceOptions inference, ImageLimits limits) {
        this.cacheDir = cacheDir;
        this.inference = inference;
        this.limits = limits;
    }

    public ScoringModel prepare(ModelRelease release) throws ReleaseRejectedException {
        byte[] onnx = bytesOf(release);
        String sha256 = Sha256.hex(onnx);
        if (!sha256.equals(release.getSha256())) {
            throw new ReleaseRejectedException("sha256 mismatch: the release names " + release.getSha256()
                    + ", its model bytes hash to " + sha256);
        }
        long residentBefore = ResidentMemory.bytes();
        LesionClassifier classifier = load(release, onnx);
        try {
            ModelDescriptor model = classifier.descriptor();
            if (!model.name().equals(release.getName()) || !model.version().equals(release.getVersion())) {
                throw new ReleaseRejectedException("the model file is " + model.name() + " " + model.version()
                        + ", the release says " + release.getName() + " " + release.getVersion());
            }
            if (Math.abs(model.threshold() - release.getThreshold()) > 1e-9) {
                throw new ReleaseRejectedException("the model file's threshold is " + model.threshold()
                        + ", the release says " + release.getThreshold());
            }
            var preprocessor = new ImagePreprocessor(limits, model.inputHeight(), model.inputWidth());
            checkGoldenImages(release, classifier, preprocessor);
            long memory = Math.max(0, ResidentMemory.bytes() - residentBefore);
            return new ScoringModel(ModelKey.of(release), classifier, preprocessor, memory);
        } catch (ReleaseRejectedException | RuntimeException e) {
            classifier.close();
            throw e;
        }
    }

    private LesionClassifier load(ModelRelease release, byte[] onnx) throws ReleaseRejectedException {
        if (!LesionClassifier.implementsContract(release.getContractVersion())) {
            throw new ReleaseRejectedException("needs preprocessing contract version " + release.getContractVersion()
                    + "; this service implements " + LesionClassifier.implementedContracts());
        }
        try {
            Path dir = Files.createDirectories(cacheDir.resolve(safe(release.getName())).resolve(safe(release.getVersion())));
            Path partial = Files.createTempFile(dir, "model", ".part");
            Files.write(partial, onnx);
            Files.move(partial, dir.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            return LesionClassifier.load(dir, inference);
        } catch (IOException e) {
            throw new ReleaseRejectedException("cannot write the model file: " + e.getMessage(), e);
        } catch (ModelLoadException e) {
            throw new ReleaseRejectedException(e.getMessage(), e);
        }
    }

    private static byte[] bytesOf(ModelRelease release) throws ReleaseRejectedException {
        if (release.getOnnx() != null) {
            return bytes(release.getOnnx());
        }
        if (release.getOnnxPath() == null) {
            throw new ReleaseRejectedException("the release has neither model bytes nor a model path");
        }
        try {
            return Files.readAllBytes(Path.of(release.getOnnxPath()));
        } catch (IOException e) {
            throw new ReleaseRejectedException("cannot read the model file " + release.getOnnxPath() + ": " + e.getMessage(), e);
        }
    }

    private static void checkGoldenImages(ModelRelease release, LesionClassifier classifier,
                                          ImagePreprocessor preprocessor) throws ReleaseRejectedException {
        List<GoldenImage> golden = release.getGolden();
        if (golden.isEmpty()) {
            throw new ReleaseRejectedException("the release has no golden images to check the model with");
        }
        FloatBuffer batch = classifier.newBatchBuffer(1);
        for (GoldenImage image : golden) {
            float[] probabilities;
            try {
                batch.clear();
                preprocessor.preprocessInto(bytes(image.getImage()), image.getMediaType(), batch);
                probabilities = classifier.classify(batch, 1)[0];
            } catch (ImageRejectedException e) {
                throw new ReleaseRejectedException("golden image " + image.getName() + " does not decode: " + e.getMessage(), e);
            } catch (Exception e) {
                throw new ReleaseRejectedException("golden image " + image.getName() + " fails to score: " + e.getMessage(), e);
            }
            List<Double> expected = image.getProbabilities();
            if (expected.size() != probabilities.length) {
                throw new ReleaseRejectedException("golden image " + image.getName() + " expects " + expected.size()
                        + " classes, the model gives " + probabilities.length);
            }
            for (int c = 0; c < probabilities.length; c++) {
                double difference = Math.abs(probabilities[c] - expected.get(c));
                if (difference > release.getGoldenTolerance()) {
                    throw new ReleaseRejectedException(String.format(
                            "golden image %s: class %d scores %.6f, the release expects %.6f (tolerance %.0e)",
                            image.getName(), c, probabilities[c], expected.get(c), release.getGoldenTolerance()));
                }
            }
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** Names become folder names: anything but letters, digits, dot, dash and underscore is replaced. */
    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

}
