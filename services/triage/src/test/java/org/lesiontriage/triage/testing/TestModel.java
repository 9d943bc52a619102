package org.lesiontriage.triage.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.inference.LesionClassifier;

/** The served model, as committed under models/: tests run the real trained CNN, not a stand-in. */
public final class TestModel {

    public static final String SERVED = "models/triagenet/2.0.0";
    private static LesionClassifier shared;

    private TestModel() {
    }

    public static Path projectRoot() {
        String configured = System.getProperty("lesion.project.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("models")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No project root with a models/ folder above " + start);
    }

    /** The model folder: system property lesion.test.model.dir, else the served model of the project. */
    public static Path dir() {
        String configured = System.getProperty("lesion.test.model.dir");
        return configured != null ? Path.of(configured) : projectRoot().resolve(SERVED);
    }

    /** One classifier for all tests of a JVM (the session is thread-safe and loading costs ~1 s). */
    public static synchronized LesionClassifier classifier() {
        if (shared == null) {
            shared = LesionClassifier.load(dir(), InferenceOptions.cpu(1));
        }
        return shared;
    }
}
