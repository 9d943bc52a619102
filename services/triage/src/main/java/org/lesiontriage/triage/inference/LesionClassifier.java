package org.lesiontriage.triage.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The served CNN: one ONNX Runtime session, created once and shared by all stream threads (a session's run is
 * thread-safe). Input goes in through direct float buffers, so ONNX Runtime reads them without a copy.
 */
public final class LesionClassifier implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LesionClassifier.class);
    static final String MODEL_FILE = "model.onnx";
    /** The preprocessing contract versions this service implements (docs/preprocessing.md). */
    public static boolean implementsContract(int version) {
        return ModelMetadata.SUPPORTED_CONTRACT_VERSIONS.contains(version);
    }

    /** e.g. "1 and 2". */
    public static String implementedContracts() {
        return ModelMetadata.supportedVersions();
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelDescriptor descriptor;
    private final InferenceDevice device;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private LesionClassifier(OrtEnvironment env, OrtSession session, ModelDescriptor descriptor, InferenceDevice device) {
        this.env = env;
        this.session = session;
        this.descriptor = descriptor;
        this.device = device;
    }

    /**
     * Loads {@code modelDir/model.onnx}, checks it against the preprocessing contract and warms it up.
     *
     * @throws ModelLoadException naming the file and the problem
     */
    public static LesionClassifier load(Path modelDir, InferenceOptions options) {
        Path file = modelDir.resolve(MODEL_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("Model file not found: " + file.toAbsolutePath()
                    + " (set triage.model.dir to a folder holding model.onnx)");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        InferenceDevice device;
        try {
            OnnxSessionFactory.DeviceSession opened = OnnxSessionFactory.create(env, file, options);
            session = opened.session();
            device = opened.device();
        } catch (OrtException e) {
            throw new ModelLoadException("Model file " + file.toAbsolutePath() + " is not a loadable ONNX model: "
                    + e.getMessage(), e);
        }
        try {
            ModelDescriptor descriptor = describe(file, session);
            LesionClassifier classifier = new LesionClassifier(env, session, descriptor, device);
            classifier.warmUp(Math.max(1, options.warmUpBatch()));
            LOG.infof("Loaded model %s %s (sha256 %s) on %s, threshold %.4f", descriptor.name(), descriptor.version(),
                    descriptor.sha256().substring(0, 12), device, descriptor.threshold());
            return classifier;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof ModelLoadException loadProblem) {
                throw loadProblem;
            }
            throw new ModelLoadException("Model " + file.toAbsolutePath() + " failed its warm-up run: " + e.getMessage(), e);
        }
    }

    private static ModelDescriptor describe(Path file, OrtSession session) throws OrtException {
        ModelMetadata metadata = new ModelMetadata(file, session.getMetadata().getCustomMetadata());
        var contract = metadata.preprocessing();
        if (session.getInputInfo().size() != 1 || session.getOutputInfo().size() != 1) {
            throw metadata.problem("must have one input and one output, has " + session.getInputNames()
                    + " and " + session.getOutputNames());
        }
        Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
        Map.Entry<String, NodeInfo> output = session.getOutputInfo().entrySet().iterator().next();
        long[] inShape = ((TensorInfo) input.getValue().getInfo()).getShape();
        long[] outShape = ((TensorInfo) output.getValue().getInfo()).getShape();
        var labels = metadata.classLabels();
        int height = contract.path("resize").path("height").asInt(-1);
        int width = contract.path("resize").path("width").asInt(-1);
        if (inShape.length != 4 || inShape[1] != 3 || inShape[2] != height || inShape[3] != width) {
            throw metadata.problem("has input shape " + Arrays.toString(inShape) + "; the contract needs [N, 3, "
                    + height + ", " + width + "]");
        }
        if (outShape.length != 2 || outShape[1] != labels.size()) {
            throw metadata.problem("has output shape " + Arrays.toString(outShape) + " for "
                    + labels.size() + " class labels");
        }
        return new ModelDescriptor(metadata.get("model_name"), metadata.get("model_version"), sha256(file),
                metadata.entries().getOrDefault("architecture", metadata.get("model_name")), labels,
                metadata.threshold(), height, width, input.getKey(), output.getKey(), Map.copyOf(metadata.entries()));
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public InferenceDevice device() {
        return device;
    }

    /** A direct, native-order buffer for {@code maxBatch} preprocessed images, to be reused batch after batch. */
    public FloatBuffer newBatchBuffer(int maxBatch) {
        return ByteBuffer.allocateDirect(maxBatch * descriptor.tensorLength() * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Runs the model on the first {@code batchSize} images of {@code batch}.
     *
     * @return probabilities per image, in {@link ModelDescriptor#classLabels()} order
     */
    public float[][] classify(FloatBuffer batch, int batchSize) throws OrtException {
        FloatBuffer images = batch.duplicate();
        images.position(0).limit(batchSize * descriptor.tensorLength());
        long[] shape = {batchSize, 3, descriptor.inputHeight(), descriptor.inputWidth()};
        try (OnnxTensor input = OnnxTensor.createTensor(env, images, shape);
             OrtSession.Result result = session.run(Map.of(descriptor.inputName(), input))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    /**
     * Whether the model still answers: one run on a blank image. Tells a model that fails for everything (a lost
     * GPU, say) from a batch that makes it fail, which is then the input's fault.
     */
    public boolean answersAProbe() {
        try {
            float[][] probabilities = classify(newBatchBuffer(1), 1);
            return probabilities.length == 1 && probabilities[0].length == descriptor.classLabels().size();
        } catch (OrtException | RuntimeException e) {
            return false;
        }
    }

    private void warmUp(int batchSize) throws OrtException {
        float[][] probabilities = classify(newBatchBuffer(batchSize), batchSize);
        float sum = 0;
        for (float p : probabilities[0]) {
            sum += p;
        }
        if (Math.abs(sum - 1f) > 1e-3f) {
            throw new ModelLoadException("Model " + descriptor.name() + " does not output probabilities: "
                    + "its outputs sum to " + sum + " (export it with the softmax)");
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ModelLoadException("Cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Idempotent: a retired version and its owner may both close it. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(session);
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.debug("Closing the ONNX session failed", e);
        }
    }
}
