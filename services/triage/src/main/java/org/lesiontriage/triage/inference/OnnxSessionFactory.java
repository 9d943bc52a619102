package org.lesiontriage.triage.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Creates the ONNX Runtime session on the configured device, falling back from CUDA to the CPU under AUTO. */
final class OnnxSessionFactory {

    private static final Logger LOG = Logger.getLogger(OnnxSessionFactory.class);

    private OnnxSessionFactory() {
    }

    record DeviceSession(OrtSession session, InferenceDevice device) {
    }

    static DeviceSession create(OrtEnvironment env, Path model, InferenceOptions options) throws OrtException {
        if (options.device() == InferenceDevice.CPU) {
            return new DeviceSession(env.createSession(model.toString(), options.cpuSessionOptions()), InferenceDevice.CPU);
        }
        // getAvailableProviders() lists what the jar was built with, not what the host has: only a session
        // that actually opened on CUDA proves a GPU.
        String whyNot;
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            try (OrtSession.SessionOptions cuda = options.cpuSessionOptions()) {
                cuda.addCUDA(options.cudaDeviceId());
                return new DeviceSession(env.createSession(model.toString(), cuda), InferenceDevice.CUDA);
            } catch (OrtException e) {
                whyNot = e.getMessage();
            }
        } else {
            whyNot = "this build has the CPU ONNX Runtime (build with -Pgpu for CUDA)";
        }
        if (options.device() == InferenceDevice.CUDA) {
            throw new ModelLoadException("Inference device cuda was requested but CUDA is unavailable: " + whyNot);
        }
        LOG.infof("CUDA unavailable (%s); running the model on the CPU", whyNot);
        return new DeviceSession(env.createSession(model.toString(), options.cpuSessionOptions()), InferenceDevice.CPU);
    }
}
