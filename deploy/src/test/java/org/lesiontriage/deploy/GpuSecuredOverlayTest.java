package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.deploy.kube.ContainerEnvironment;
import org.lesiontriage.deploy.kube.Kustomize;
import org.lesiontriage.deploy.kube.Objects;
import org.lesiontriage.deploy.kube.RenderedManifests;
import tools.jackson.databind.JsonNode;

/**
 * The GPU overlay's patches and the secured overlay's compose into one overlay, as docs/deploy.md shows (kustomize
 * v2 has no components, so the recipe copies both overlays' patch files next to one kustomization).
 */
@Tag("unit")
class GpuSecuredOverlayTest {

    static final List<String> GPU_FILES = List.of("gpu-nodes.yaml", "gpu-scaling.yaml");
    static final List<String> SECURED_FILES = List.of("kafka-credentials.yaml", "tls-trust.yaml", "secured-scaling.yaml",
            "kafka-users.yaml", "keda-kafka-auth.yaml");

    @TempDir
    Path copy;

    @Test
    void theRecipeInTheDocsRendersAValidGpuDeploymentOnTheSecuredCluster() throws IOException {
        BrokenManifestTest.copyTree(ProjectFiles.path("k8s"), copy.resolve("k8s"));
        Path overlay = Files.createDirectories(copy.resolve("k8s/overlays/gpu-secured"));
        for (String file : GPU_FILES) {
            Files.copy(copy.resolve("k8s/overlays/gpu").resolve(file), overlay.resolve(file));
        }
        for (String file : SECURED_FILES) {
            Files.copy(copy.resolve("k8s/overlays/secured").resolve(file), overlay.resolve(file));
        }
        String recipe = Files.readString(ProjectFiles.path("docs/deploy.md"));
        String kustomization = recipe.substring(recipe.indexOf("# k8s/overlays/gpu-secured/kustomization.yaml"));
        kustomization = kustomization.substring(0, kustomization.indexOf("```"));
        Files.writeString(overlay.resolve("kustomization.yaml"), kustomization);

        RenderedManifests manifests = Kustomize.render(overlay);

        assertThat(ProjectFiles.validator().problems(manifests.objects())).isEmpty();
        JsonNode deployment = AppContainer.service(manifests).workload();
        JsonNode container = AppContainer.service(manifests).container();
        assertThat(Objects.podSpec(deployment).path("runtimeClassName").asString()).isEqualTo("nvidia");
        assertThat(container.path("image").asString()).endsWith("-gpu");
        assertThat(ContainerEnvironment.of(manifests, container).variables()).containsEntry("TRIAGE_MODEL_DEVICE", "cuda");
        TransportSecurityAssertions.assertSecured(AppContainer.service(manifests), "triage-service");
        TransportSecurityAssertions.assertSecured(AppContainer.dashboard(manifests), "triage-dashboard");
        assertThat(manifests.get("ScaledObject", "triage-service").at("/spec/triggers/0/authenticationRef/name").asString())
                .isEqualTo("triage-keda-kafka");
    }
}
