package org.lesiontriage.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/** Finds a Java runtime of a minimum feature version: REGISTRY_JAVA_HOME, the current JVM, or one under /usr/lib/jvm. */
final class JavaRuntimes {

    private static final Path SYSTEM_JVMS = Path.of("/usr/lib/jvm");

    private JavaRuntimes() {
    }

    static Path atLeast(int feature) {
        String configured = System.getenv("REGISTRY_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (Runtime.version().feature() >= feature) {
            return Path.of(System.getProperty("java.home"));
        }
        return newestUnder(SYSTEM_JVMS, feature).orElseThrow(() -> new IllegalStateException(
                "The schema registry needs Java " + feature + "+; set REGISTRY_JAVA_HOME to such a JDK (none found in "
                        + SYSTEM_JVMS + ")"));
    }

    private static Optional<Path> newestUnder(Path root, int feature) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(root)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> featureVersion(home) >= feature)
                    .max(Comparator.comparingInt(JavaRuntimes::featureVersion));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int featureVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        Properties properties = new Properties();
        try (var in = Files.newInputStream(release)) {
            properties.load(in);
        } catch (IOException e) {
            return 0;
        }
        String version = properties.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
        String major = version.split("[.+-]")[0];
        try {
            return Integer.parseInt(major);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
