package org.lesiontriage.triage.inference;

/**
 * How to run the model.
 *
 * @param intraOpThreads threads ONNX Runtime uses inside one model run; with several stream threads running
 *                       batches at once, their product should not exceed the cores
 * @param warmUpBatch    batch size of the warm-up run at start, so the first real batch does not pay for it
 */
public record InferenceOptions(InferenceDevice device, int intraOpThreads, int cudaDeviceId, int warmUpBatch) {

    public static InferenceOptions cpu(int intraOpThreads) {
        return new InferenceOptions(InferenceDevice.CPU, intraOpThreads, 0, 1);
    }
}
