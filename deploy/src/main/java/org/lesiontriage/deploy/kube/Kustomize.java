package org.lesiontriage.deploy.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.lesiontriage.deploy.YamlDocuments;

/**
 * Renders a kustomization with {@code kubectl kustomize}, the renderer {@code kubectl apply -k} uses. The manifests
 * render with kubectl 1.20's kustomize (v2.0.3, Debian's kubernetes-client, which deploy/setup.sh installs where no
 * kubectl is) and with current ones alike: they use only resources/bases, generators, images,
 * patchesStrategicMerge and patchesJson6902. {@code $KUBECTL} names another kubectl.
 */
public final class Kustomize {

    private static final long TIMEOUT_SECONDS = 60;

    private Kustomize() {
    }

    public static RenderedManifests render(Path kustomization) {
        Path output = null;
        try {
            output = Files.createTempFile("kustomize", ".yaml");
            Path errors = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl(), "kustomize", kustomization.toString())
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + kustomization + " did not finish in "
                        + TIMEOUT_SECONDS + " s");
            }
            String stderr = Files.readString(errors, StandardCharsets.UTF_8);
            Files.delete(errors);
            if (process.exitValue() != 0) {
                throw new KustomizeException(kustomization, stderr.strip());
            }
            return new RenderedManifests(kustomization, YamlDocuments.read(output));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + kubectl() + " (deploy/setup.sh installs kubectl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + kustomization, e);
        } finally {
            deleteQuietly(output);
        }
    }

    static String kubectl() {
        return Optional.ofNullable(System.getenv("KUBECTL")).filter(s -> !s.isBlank()).orElse("kubectl");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    /** kubectl refused the kustomization: a missing file, a patch that matches nothing, a bad field. */
    public static final class KustomizeException extends RuntimeException {
        public KustomizeException(Path kustomization, String stderr) {
            super("kubectl kustomize " + kustomization + " failed: " + stderr);
        }
    }

    /** The kustomization folders below {@code root}. */
    public static List<Path> kustomizations(Path root) {
        try (var files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::getParent).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
