package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lesiontriage.deploy.kube.Objects;
import org.lesiontriage.deploy.kube.RenderedManifests;
import tools.jackson.databind.JsonNode;

/**
 * Every pod the manifests run is locked down (non-root as the images' user, read-only root filesystem, no
 * capabilities, no privilege escalation, the runtime's seccomp profile, no service account token), sized (requests,
 * a memory limit, scratch space within its ephemeral-storage limit) and disruption-budgeted; GPU pods go to GPU
 * nodes only.
 */
@Tag("unit")
class PodHardeningTest {

    static final List<String> APPLIED = ProjectFiles.WITH_PODS;

    static List<JsonNode> workloads(RenderedManifests manifests) {
        List<JsonNode> workloads = new ArrayList<>(manifests.all("Deployment"));
        workloads.addAll(manifests.all("Job"));
        return workloads;
    }

    @ParameterizedTest
    @FieldSource("APPLIED")
    void everyPodIsLockedDown(String kustomization) {
        RenderedManifests manifests = ProjectFiles.rendered(kustomization);
        assertThat(workloads(manifests)).isNotEmpty();
        for (JsonNode workload : workloads(manifests)) {
            JsonNode pod = Objects.podSpec(workload);
            String id = Objects.id(workload);
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(id).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).as(id).isEqualTo(DockerImagesTest.POD_USER);
            assertThat(pod.at("/securityContext/seccompProfile/type").asString()).as(id).isEqualTo("RuntimeDefault");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(id).isFalse();
            String account = pod.path("serviceAccountName").asString();
            assertThat(manifests.get("ServiceAccount", account).path("automountServiceAccountToken").asBoolean(true)).isFalse();
            for (JsonNode container : pod.path("containers")) {
                JsonNode security = container.path("securityContext");
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(id).isFalse();
                assertThat(security.path("readOnlyRootFilesystem").asBoolean(false)).as(id).isTrue();
                assertThat(Objects.strings(security.at("/capabilities/drop"))).as(id).containsExactly("ALL");
                assertThat(security.at("/capabilities/add").isMissingNode()).as(id).isTrue();
                assertThat(container.path("image").asString()).as(id).doesNotEndWith(":latest").contains(":");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("APPLIED")
    void everyPodIsSizedAndItsScratchSpaceFitsItsLimit(String kustomization) {
        for (JsonNode workload : workloads(ProjectFiles.rendered(kustomization))) {
            JsonNode pod = Objects.podSpec(workload);
            long scratch = 0;
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.has("emptyDir")) {
                    String limit = volume.at("/emptyDir/sizeLimit").asString("");
                    assertThat(limit).as(Objects.id(workload) + " emptyDir " + volume.path("name").asString() + " sizeLimit")
                            .isNotEmpty();
                    scratch += Quantities.bytes(limit);
                }
            }
            long ephemeral = 0;
            for (JsonNode container : pod.path("containers")) {
                JsonNode resources = container.path("resources");
                assertThat(resources.at("/requests/cpu").isMissingNode()).as(Objects.id(workload)).isFalse();
                assertThat(Quantities.bytes(resources.at("/requests/memory").asString()))
                        .isLessThanOrEqualTo(Quantities.bytes(resources.at("/limits/memory").asString()));
                ephemeral += Quantities.bytes(resources.at("/limits/ephemeral-storage").asString());
            }
            assertThat(scratch).as(Objects.id(workload) + " emptyDirs within ephemeral-storage").isLessThanOrEqualTo(ephemeral);
        }
    }

    @Test
    void everyDeploymentHasADisruptionBudgetThatLetsDrainsThrough() {
        for (String overlay : ProjectFiles.SERVICE_OVERLAYS) {
            RenderedManifests manifests = ProjectFiles.rendered(overlay);
            for (JsonNode deployment : manifests.all("Deployment")) {
                JsonNode budget = manifests.all("PodDisruptionBudget").stream()
                        .filter(b -> Objects.map(deployment.at("/spec/template/metadata/labels"))
                                .entrySet().containsAll(Objects.map(b.at("/spec/selector/matchLabels")).entrySet()))
                        .findFirst().orElseThrow(() -> new AssertionError("no budget for " + Objects.id(deployment)));
                // maxUnavailable, not minAvailable: a single GPU replica must not block a node drain forever
                assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
            }
        }
    }

    @Test
    void gpuPodsGoToGpuNodesThroughTheNvidiaRuntime() {
        JsonNode deployment = AppContainer.service(ProjectFiles.rendered(ProjectFiles.GPU)).workload();
        JsonNode pod = Objects.podSpec(deployment);

        assertThat(pod.path("runtimeClassName").asString()).isEqualTo("nvidia");
        JsonNode term = pod.at("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/0");
        assertThat(term.path("key").asString()).isEqualTo("nvidia.com/gpu.present");
        assertThat(Objects.strings(term.path("values"))).containsExactly("true");
        assertThat(pod.at("/containers/0/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
        assertThat(Objects.list(pod.path("tolerations"))).anySatisfy(t -> assertThat(t.path("key").asString()).isEqualTo("nvidia.com/gpu"));
        JsonNode scaler = ProjectFiles.rendered(ProjectFiles.GPU).get("ScaledObject", "triage-service");
        assertThat(scaler.at("/spec/maxReplicaCount").asInt()).as("one replica per GPU").isLessThanOrEqualTo(
                ProjectFiles.rendered(ProjectFiles.CPU).get("ScaledObject", "triage-service").at("/spec/maxReplicaCount").asInt());
        // CPU pods carry none of it
        JsonNode cpu = Objects.podSpec(AppContainer.service(ProjectFiles.rendered(ProjectFiles.CPU)).workload());
        assertThat(cpu.has("runtimeClassName") || cpu.has("affinity")).isFalse();
    }
}
