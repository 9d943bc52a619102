package org.lesiontriage.bench.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * ONNX Runtime used directly, at a chosen graph optimisation level, to see whether the service's level (ALL)
 * is the right one. Same input path as the service: a reused direct buffer wrapped without a copy.
 */
public final class OptLevelRunner implements BatchRunner {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession model;
    private final FloatBuffer batch;
    private final String inputName;
    private final long side;

    public OptLevelRunner(Path modelDir, int threads, int maxBatch, OrtSession.SessionOptions.OptLevel level)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(level);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            this.model = env.createSession(modelDir.resolve("model.onnx").toString(), options);
        }
        var input = model.getInputInfo().entrySet().iterator().next();
        this.inputName = input.getKey();
        this.side = ((TensorInfo) input.getValue().getInfo()).getShape()[2]; // [N, 3, side, side]
        this.batch = ByteBuffer.allocateDirect((int) (maxBatch * 3 * side * side * Float.BYTES))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        ServiceClassifierRunner.InputImages.fill(batch);
    }

    @Override
    public void run(int batchSize) throws OrtException {
        FloatBuffer images = batch.duplicate();
        images.position(0).limit((int) (batchSize * 3 * side * side));
        try (OnnxTensor input = OnnxTensor.createTensor(env, images, new long[] {batchSize, 3, side, side});
             OrtSession.Result ignored = model.run(Map.of(inputName, input))) {
            // the result is read by nothing: only the run's time matters here
        }
    }

    @Override
    public void close() {
        try {
            model.close();
        } catch (OrtException ignored) {
            // closing at the end of a benchmark; nothing to recover
        }
    }
}
