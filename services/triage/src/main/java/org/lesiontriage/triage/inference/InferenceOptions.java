package org.lesiontriage.triage.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * How to run the model.
 *
 * @param intraOpThreads threads ONNX Runtime uses inside one model run; with several stream threads running
 *                       batches at once, their product should not exceed the cores
 * @param warmUpBatch    batch size of the warm-up run at start, so the first real batch does not pay for it
 * @param spinWait       whether ONNX Runtime's worker threads spin between runs (its default). Off here: spinning
 *                       burns the cores the stream thread needs to decode the next images
 *                       (docs/benchmarks.md, "Tried: ONNX Runtime threads spinning")
 */
public record InferenceOptions(InferenceDevice device, int intraOpThreads, int cudaDeviceId, int warmUpBatch,
                               boolean spinWait) {

    public InferenceOptions(InferenceDevice device, int intraOpThreads, int cudaDeviceId, int warmUpBatch) {
        this(device, intraOpThreads, cudaDeviceId, warmUpBatch, false);
    }

    public static InferenceOptions cpu(int intraOpThreads) {
        return new InferenceOptions(InferenceDevice.CPU, intraOpThreads, 0, 1);
    }

    public InferenceOptions withSpinWait(boolean spin) {
        return new InferenceOptions(device, intraOpThreads, cudaDeviceId, warmUpBatch, spin);
    }

    /**
     * The session options of a CPU session (CUDA sessions start from them too): graph optimisation ALL, these
     * intra-op threads, one inter-op thread, spinning as set. Public so that a benchmark measures with exactly these.
     */
    public OrtSession.SessionOptions cpuSessionOptions() throws OrtException {
        OrtSession.SessionOptions session = new OrtSession.SessionOptions();
        session.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session.setIntraOpNumThreads(intraOpThreads);
        session.setInterOpNumThreads(1);
        session.addConfigEntry("session.intra_op.allow_spinning", spinWait ? "1" : "0");
        return session;
    }
}
