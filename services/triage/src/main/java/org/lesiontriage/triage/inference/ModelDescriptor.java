package org.lesiontriage.triage.inference;

import java.util.List;
import java.util.Map;

/**
 * What the service knows about the model it serves, read from the ONNX file's metadata (written by the
 * training module's export) and the file itself.
 *
 * @param metadata every metadata entry of the ONNX file, for the model card endpoint
 */
public record ModelDescriptor(
        String name,
        String version,
        String sha256,
        String architecture,
        List<String> classLabels,
        double threshold,
        int inputHeight,
        int inputWidth,
        String inputName,
        String outputName,
        Map<String, String> metadata) {

    public static final String POSITIVE_CLASS = "melanoma";

    public int classCount() {
        return classLabels.size();
    }

    /** Index of the class whose probability decides the triage priority. */
    public int positiveClassIndex() {
        return classLabels.indexOf(POSITIVE_CLASS);
    }

    /** Floats in one preprocessed image: 3 x H x W. */
    public int tensorLength() {
        return 3 * inputHeight * inputWidth;
    }
}
