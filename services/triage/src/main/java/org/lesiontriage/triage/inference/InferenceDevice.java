package org.lesiontriage.triage.inference;

/** Where ONNX Runtime runs the model. AUTO tries CUDA and falls back to the CPU. */
public enum InferenceDevice {
    AUTO,
    CPU,
    CUDA
}
