package org.lesiontriage.bench.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.lesiontriage.triage.inference.InferenceOptions;

/**
 * The fp32 compute ceiling of this machine as the model's engine reaches it: the sustained GFLOP/s of a square
 * MatMul, C = A x B with A and B [n, n] fp32 (the graph {@code benchmarks/scripts/model_flops.py --gemm-graph}
 * writes), run by ONNX Runtime Java with the service's CPU session options and a given intra-op thread count.
 *
 * <p>The report divides the model's GFLOP/s by this figure. A peak computed from /proc/cpuinfo cannot serve: in a
 * VM it shows the base clock, not the boost clock, and the flags do not tell how many FMA units a core has or how
 * wide they are.
 */
public final class GemmCeiling implements AutoCloseable {

    /**
     * One size at one thread count.
     *
     * @param gflops         sustained: 2 n^3 FLOPs x runs / measured seconds (the model's images/s is counted the same
     *                       way)
     * @param gflopsAtMedian 2 n^3 FLOPs / the median run
     */
    public record Result(int threads, int n, int runs, double seconds, double gflops, double gflopsAtMedian,
                         double medianMs, double p90Ms, double minMs) {
    }

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final int threads;

    public GemmCeiling(Path graph, int threads) throws OrtException {
        this.threads = threads;
        try (OrtSession.SessionOptions options = InferenceOptions.cpu(threads).cpuSessionOptions()) {
            this.session = env.createSession(graph.toString(), options);
        }
        if (session.getNumInputs() != 2) {
            session.close();
            throw new IllegalArgumentException(graph + " is not the MatMul graph of model_flops.py --gemm-graph: "
                    + "it has " + session.getNumInputs() + " inputs, not 2");
        }
    }

    /** FLOPs of one n x n by n x n product: n^3 multiply-adds, 2 FLOPs each. */
    static double flop(int n) {
        return 2.0 * n * n * n;
    }

    /** Times C = A x B for [n, n] operands with {@code loop}: its warm-up, then its minimum runs and seconds. */
    public Result measure(int n, TimedLoop loop) throws Exception {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        long seed = 1;
        try {
            for (String name : session.getInputNames()) {
                inputs.put(name, OnnxTensor.createTensor(env, operand(n, seed++), new long[] {n, n}));
            }
            BatchRunner product = new BatchRunner() {
                @Override
                public void run(int ignored) throws OrtException {
                    try (OrtSession.Result unused = session.run(inputs)) {
                        // only the time matters
                    }
                }

                @Override
                public void close() {
                }
            };
            TimedLoop.Result r = loop.measure(product, n);
            return new Result(threads, n, r.runs(), r.seconds(), flop(n) * r.runs() / r.seconds() / 1e9,
                    flop(n) / (r.medianMs() * 1e6), r.medianMs(), r.p90Ms(), r.minMs());
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** A direct buffer of n x n values in [0, 1), the same for every run (the speed does not depend on them). */
    static FloatBuffer operand(int n, long seed) {
        FloatBuffer buffer = ByteBuffer.allocateDirect(n * n * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        Random random = new Random(seed);
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, random.nextFloat());
        }
        return buffer;
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
