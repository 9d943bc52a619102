package org.lesiontriage.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build unpacked the registry server: {@code services/local-stack/target/apicurio-registry}.
 * Override with the system property {@code lesion.registry.home} or the variable REGISTRY_HOME.
 */
final class RegistryDistribution {

    private static final Path IN_PROJECT = Path.of("services", "local-stack", "target", "apicurio-registry");

    private RegistryDistribution() {
    }

    static Path locate() {
        String configured = System.getProperty("lesion.registry.home", System.getenv("REGISTRY_HOME"));
        if (configured != null && !configured.isBlank()) {
            return requireDistribution(Path.of(configured));
        }
        String projectRoot = System.getProperty("lesion.project.root");
        Path start = projectRoot != null ? Path.of(projectRoot) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(IN_PROJECT);
            if (Files.isRegularFile(candidate.resolve("quarkus-run.jar"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("Schema registry distribution not found above " + start
                + "; build it with './mvnw -pl services/local-stack generate-resources' or set REGISTRY_HOME");
    }

    private static Path requireDistribution(Path dir) {
        if (!Files.isRegularFile(dir.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException("No quarkus-run.jar in registry home " + dir);
        }
        return dir;
    }
}
