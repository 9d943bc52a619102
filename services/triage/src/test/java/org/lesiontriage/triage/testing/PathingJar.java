package org.lesiontriage.triage.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A manifest-only jar whose Class-Path lists a long class path. Child JVMs get it instead of the class path
 * itself: ONNX Runtime 1.29's native start-up crashes the JVM (SIGSEGV) on a main thread with the default
 * stack when java.class.path is tens of KB long (a larger stack, -Xss8m, also avoids it).
 */
public final class PathingJar {

    private PathingJar() {
    }

    public static Path create(Path dir, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, Stream.of(classPath.split(File.pathSeparator))
                .map(entry -> Path.of(entry).toUri().toString())
                .collect(Collectors.joining(" ")));
        Path jar = dir.resolve("classpath.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }
}
