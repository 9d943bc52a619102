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
 * A bare ONNX Runtime session at a chosen graph optimisation level, to see whether the service's level (ALL)
 * is the right one. Same input path as the service: a reused direct buffer wrapped without a copy.
 */
public final class OptLevelSessionRunner implements BatchRunner {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final OrtSession.SessionOptions.OptLevel level;
    private final FloatBuffer batch;
    private final String inputName;
    private final long side;

    public OptLevelSessionRunner(Path modelDir, int threads, int maxBatch, OrtSession.SessionOptions.OptLevel level)
            throws OrtException {
        this.level = level;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(level);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            this.session = env.createSession(modelDir.resolve("model.onnx").toString(), options);
        }
        var input = session.getInputInfo().entrySet().iterator().next();
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
             OrtSession.Result ignored = session.run(Map.of(inputName, input))) {
            // the result is read by nothing: only the run's time matters here
        }
    }

    @Override
    public String label() {
        return level == OrtSession.SessionOptions.OptLevel.ALL_OPT ? "ALL (bare session)" : level.name();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // closing at the end of a benchmark; nothing to recover
        }
    }
}
