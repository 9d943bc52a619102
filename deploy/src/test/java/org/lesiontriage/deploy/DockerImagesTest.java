package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lesiontriage.deploy.docker.DockerIgnore;
import org.lesiontriage.deploy.docker.Dockerfile;
import org.lesiontriage.deploy.kube.Objects;

/**
 * The images: bases pinned by digest, a non-root user (the one the pods run as), only files of the build context
 * that .dockerignore lets in and that exist, an environment the service reads, the entry point the manifests
 * expect. What a build would still show (the digests resolve, the layers build) needs a container engine.
 */
@Tag("unit")
class DockerImagesTest {

    /** Each image the manifests and the compose file run, and the Dockerfile that builds it. */
    static final Map<String, String> IMAGES = Map.of(
            AgreedNames.SERVICE_IMAGE + ":0.1.0", "docker/triage-service.Dockerfile",
            AgreedNames.SERVICE_IMAGE + ":0.1.0-gpu", "docker/triage-service-gpu.Dockerfile",
            AgreedNames.DASHBOARD_IMAGE + ":0.1.0", "docker/dashboard.Dockerfile");
    static final List<String> DOCKERFILES = List.copyOf(new TreeSet<>(IMAGES.values()));
    static final int POD_USER = 185;

    static Dockerfile dockerfileOf(String image) {
        String file = IMAGES.get(image);
        assertThat(file).as("a Dockerfile builds " + image).isNotNull();
        return Dockerfile.parse(ProjectFiles.path(file));
    }

    /** A model folder of the image comes from a folder of models/ with its model.onnx, let in by .dockerignore. */
    static void assertModelInImage(Dockerfile image, String modelDir) {
        String source = image.contextPathOf(modelDir).orElseThrow(() -> new AssertionError(modelDir + " is not copied into the image"));
        assertThat(ProjectFiles.path(source).resolve("model.onnx")).isRegularFile();
        assertThat(dockerIgnore().excludes(source + "/model.onnx")).isFalse();
    }

    static DockerIgnore dockerIgnore() {
        return DockerIgnore.parse(ProjectFiles.path(".dockerignore"));
    }

    static ServiceConfiguration serviceOf(String dockerfile) {
        return dockerfile.contains("dashboard") ? ServiceConfiguration.dashboard() : ServiceConfiguration.triage();
    }

    @ParameterizedTest
    @FieldSource("DOCKERFILES")
    void everyBaseImageIsPinnedByDigest(String file) {
        assertThat(Dockerfile.parse(ProjectFiles.path(file)).baseImages())
                .isNotEmpty()
                .allSatisfy(image -> assertThat(image).matches("[a-z0-9./-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}"));
    }

    @ParameterizedTest
    @FieldSource("DOCKERFILES")
    void theImageRunsAsTheNonRootUserOfThePods(String file) {
        String user = Dockerfile.parse(ProjectFiles.path(file)).user();

        assertThat(user.split(":")[0]).isEqualTo(String.valueOf(POD_USER));
    }

    @ParameterizedTest
    @FieldSource("DOCKERFILES")
    void everyCopiedFileIsLetInByDockerignoreAndExists(String file) {
        Dockerfile dockerfile = Dockerfile.parse(ProjectFiles.path(file));
        DockerIgnore ignore = dockerIgnore();

        assertThat(dockerfile.copies()).isNotEmpty();
        for (Dockerfile.Copy copy : dockerfile.copies()) {
            for (String source : copy.sources()) {
                String probe = source.contains("*") ? source.replace("*.jar", "quarkus-run.jar") : source;
                assertThat(ignore.excludes(probe)).as(source + " is in the build context").isFalse();
                if (!source.contains("/target/")) {
                    assertThat(ProjectFiles.path(source)).as(source).exists();
                }
            }
        }
    }

    @Test
    void dockerignoreKeepsTheBulkOut() {
        DockerIgnore ignore = dockerIgnore();

        assertThat(List.of("runs/export/lknet/1.0.0/model.onnx", ".git/HEAD", "target/x", ".stack/broker/x",
                "services/triage/target/classes/application.properties", "services/triage/target/surefire-reports/x.txt",
                "services/triage/src/main/java/x.java", "docker/secrets/api-users/users.properties",
                "training/data/x.jpg", "models/triagenet/2.0.0/golden/x.f32", "models/triagenet/2.0.0/roc.png", ".rescore/x",
                "deploy/target/x"))
                .allSatisfy(path -> assertThat(ignore.excludes(path)).as(path).isTrue());
        assertThat(List.of("services/triage/target/quarkus-app/quarkus-run.jar",
                "services/triage/target/quarkus-app/lib/main/x.jar", "services/dashboard/target/quarkus-app/app/x.jar",
                "services/triage/src/main/rescore/logging.properties",
                // bin/models publish sends a release's golden images with it, in the image too
                "models/triagenet/2.0.0/golden/index.json", "models/triagenet/2.0.0/golden/png_rgb_16.png",
                "models/triagenet/2.0.0/golden/jpeg_rgb_128.jpg"))
                .allSatisfy(path -> assertThat(ignore.excludes(path)).as(path).isFalse());
    }

    @Test
    void everyModelOfTheRepositoryGoesIntoTheImages() {
        DockerIgnore ignore = dockerIgnore();
        for (String model : List.of("models/triagenet/2.0.0", "models/proposed/1.0.0")) {
            assertThat(ProjectFiles.path(model).resolve("model.onnx")).isRegularFile();
            assertThat(ignore.excludes(model + "/model.onnx")).as(model).isFalse();
            assertThat(ignore.excludes(model + "/model-card.json")).as(model).isFalse();
        }
    }

    @ParameterizedTest
    @FieldSource("DOCKERFILES")
    void theEntryPointRunsTheFastJarWithJavaOpts(String file) {
        Dockerfile dockerfile = Dockerfile.parse(ProjectFiles.path(file));
        String entrypoint = String.join(" ", dockerfile.arguments("ENTRYPOINT"));

        assertThat(entrypoint).contains("$" + ServiceConfiguration.JAVA_OPTS).contains(dockerfile.workdir() + "/quarkus-run.jar");
        assertThat(dockerfile.contextPathOf(dockerfile.workdir() + "/lib")).isPresent();
        assertThat(dockerfile.copies()).anySatisfy(c -> assertThat(c.sources()).anySatisfy(
                s -> assertThat(s).endsWith("target/quarkus-app/*.jar")));
    }

    @ParameterizedTest
    @FieldSource("DOCKERFILES")
    void theImageSetsOnlyVariablesTheServiceReadsAndExposesItsPort(String file) {
        Dockerfile dockerfile = Dockerfile.parse(ProjectFiles.path(file));
        ServiceConfiguration service = serviceOf(file);
        Set<String> javaHome = Set.of("JAVA_HOME", "PATH", "LANG");

        assertThat(dockerfile.environment().keySet()).allSatisfy(v -> assertThat(
                service.variables().contains(v) || javaHome.contains(v)).as(v + " is read by the " + service.name()).isTrue());
        assertThat(dockerfile.arguments("EXPOSE")).containsExactly(String.valueOf(service.defaultPort()));
    }

    @Test
    void theServiceImagesCarryTheModelsAndAWorkFolder() {
        for (String file : List.of("docker/triage-service.Dockerfile", "docker/triage-service-gpu.Dockerfile")) {
            Dockerfile dockerfile = Dockerfile.parse(ProjectFiles.path(file));
            Map<String, String> env = dockerfile.environment();
            assertThat(dockerfile.contextPathOf(env.get("TRIAGE_MODEL_DIR"))).as(file).contains("models/triagenet/2.0.0");
            assertThat(dockerfile.contextPathOf(env.get("TRIAGE_RESCORE_MODEL_ROOT"))).as(file).contains("models/");
            assertThat(env.get("TRIAGE_RESCORE_WORK_DIR")).isEqualTo(dockerfile.workdir() + "/rescore-jobs");
            assertThat(dockerfile.arguments("RUN")).anySatisfy(run -> assertThat(run)
                    .contains("mkdir -p rescore-jobs").contains("chown " + POD_USER));
        }
    }

    @Test
    void theGpuImageTakesItsJavaFromThePinnedJreStage() {
        Dockerfile gpu = Dockerfile.parse(ProjectFiles.path("docker/triage-service-gpu.Dockerfile"));

        assertThat(gpu.baseImages().get(0)).startsWith("eclipse-temurin:17-jre");
        assertThat(gpu.baseImages().get(1)).startsWith("nvidia/cuda:12.").contains("cudnn");
        assertThat(gpu.finalStage()).anySatisfy(i -> assertThat(i.arguments())
                .isEqualTo("--from=jre /opt/java/openjdk /opt/java/openjdk"));
        assertThat(gpu.environment()).containsEntry("TRIAGE_MODEL_DEVICE", "cuda");
    }

    @Test
    void everyImageTheManifestsRunIsBuiltHere() {
        for (String kustomization : ProjectFiles.APPLIED) {
            for (var object : ProjectFiles.rendered(kustomization).objects()) {
                for (var container : Objects.podSpec(object).path("containers")) {
                    assertThat(IMAGES).as(Objects.id(object)).containsKey(container.path("image").asString());
                }
            }
        }
    }
}
