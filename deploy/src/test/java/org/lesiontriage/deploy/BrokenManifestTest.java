package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lesiontriage.deploy.kube.Kustomize;
import org.lesiontriage.deploy.kube.RenderedManifests;

/**
 * The validation fails on broken manifests: the real overlays with one defect each (copied to a temporary folder and
 * rendered there, as the suite renders the real ones), and a kustomization that does not render at all.
 */
@Tag("unit")
class BrokenManifestTest {

    @TempDir
    Path copy;

    static Stream<Arguments> defects() {
        return Stream.of(
                Arguments.of("a misspelt field", "k8s/base/triage-service.yaml",
                        "  revisionHistoryLimit: 10", "  revisionHistoryLimt: 10", "revisionHistoryLimt"),
                Arguments.of("a port number as text", "k8s/base/triage-service.yaml",
                        "containerPort: 8080", "containerPort: \"8080\"", "containerPort"),
                Arguments.of("a probe on a port the container does not name", "k8s/base/triage-service.yaml",
                        "              path: /q/health/ready\n              port: http",
                        "              path: /q/health/ready\n              port: web", "readinessProbe names port 'web'"),
                Arguments.of("a mount of a volume the pod does not have", "k8s/base/triage-dashboard.yaml",
                        "            - name: tmp\n              mountPath: /tmp", "            - name: scratch\n              mountPath: /tmp",
                        "mounts volume 'scratch'"),
                Arguments.of("a topic without partitions", "k8s/base/kafka-topics.yaml",
                        "  partitions: 12", "  partitions: 0", "partitions"),
                Arguments.of("an unknown topic field", "k8s/base/kafka-topics.yaml",
                        "  replicas: 3", "  replication: 3", "replication"),
                Arguments.of("an ACL operation Kafka does not have", "k8s/overlays/secured/kafka-users.yaml",
                        "operations: [Read, Describe]", "operations: [Consume, Describe]", "acls/0/operations/0"),
                Arguments.of("a ScaledObject without its target", "k8s/base/triage-service-scaling.yaml",
                        "  scaleTargetRef:\n    name: triage-service\n", "", "scaleTargetRef"),
                Arguments.of("an upper-case object name", "k8s/base/ingress.yaml",
                        "  name: triage-dashboard\n  labels", "  name: Triage-Dashboard\n  labels", "not a valid object name"),
                Arguments.of("a kind with no vendored schema", "k8s/base/triage-service-scaling.yaml",
                        "kind: ScaledObject", "kind: ScaledJob", "no schema is vendored"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defects")
    void aDefectInARealManifestIsReported(String defect, String file, String good, String bad, String expected)
            throws IOException {
        copyTree(ProjectFiles.path("k8s"), copy.resolve("k8s"));
        Path broken = copy.resolve(file);
        String text = Files.readString(broken);
        assertThat(text).as("the defect's anchor in " + file).contains(good);
        Files.writeString(broken, text.replaceFirst(java.util.regex.Pattern.quote(good),
                java.util.regex.Matcher.quoteReplacement(bad)));

        String overlay = file.contains("secured") ? ProjectFiles.SECURED : ProjectFiles.CPU;
        RenderedManifests manifests = Kustomize.render(copy.resolve(overlay));
        List<String> problems = ProjectFiles.validator().problems(manifests.objects());

        assertThat(problems).as(defect).anySatisfy(p -> assertThat(p).contains(expected));
    }

    @Test
    void theUnbrokenCopyHasNoProblems() throws IOException {
        copyTree(ProjectFiles.path("k8s"), copy.resolve("k8s"));

        assertThat(ProjectFiles.validator().problems(Kustomize.render(copy.resolve(ProjectFiles.CPU)).objects())).isEmpty();
    }

    @Test
    void aKustomizationNamingAMissingFileDoesNotRender() throws IOException {
        Files.writeString(copy.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - deployment.yaml
                """);

        assertThatThrownBy(() -> Kustomize.render(copy)).isInstanceOf(Kustomize.KustomizeException.class)
                .hasMessageContaining("deployment.yaml");
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
