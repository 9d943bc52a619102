package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lesiontriage.deploy.kube.Objects;
import org.lesiontriage.deploy.kube.RenderedManifests;
import tools.jackson.databind.JsonNode;

/**
 * Traffic reaches the pods it is meant for and no others: Services select their pods and name their ports,
 * Ingresses point at existing Services and publish neither health nor metrics, and the network policies let only
 * the dashboard and the ingress controller reach the service's HTTP port.
 */
@Tag("unit")
class ServiceRoutingTest {

    static final List<String> OVERLAYS = ProjectFiles.SERVICE_OVERLAYS;

    /** The Service selects the workload's pods and sends its port to the container port {@code port}. */
    static void assertServiceReaches(RenderedManifests manifests, String serviceName, JsonNode workload, int port) {
        JsonNode service = manifests.get("Service", serviceName);
        Map<String, String> podLabels = Objects.map(workload.at("/spec/template/metadata/labels"));
        assertThat(podLabels).containsAllEntriesOf(Objects.map(service.at("/spec/selector")));
        String targetPort = service.at("/spec/ports/0/targetPort").asString();
        int containerPort = Objects.list(Objects.podSpec(workload).at("/containers/0/ports")).stream()
                .filter(p -> targetPort.equals(p.path("name").asString(""))).findFirst()
                .orElseThrow(() -> new AssertionError(serviceName + " targets port " + targetPort + ", which no container names"))
                .path("containerPort").asInt();
        assertThat(containerPort).isEqualTo(port);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void ingressesReachExistingServicesAndPublishNoHealthOrMetrics(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        List<JsonNode> ingresses = manifests.all("Ingress");
        assertThat(ingresses).extracting(Objects::name).containsExactlyInAnyOrder("triage-dashboard", "triage-service-api");
        for (JsonNode ingress : ingresses) {
            assertThat(ingress.at("/spec/tls")).as("TLS").isNotEmpty();
            for (JsonNode rule : ingress.at("/spec/rules")) {
                for (JsonNode path : rule.at("/http/paths")) {
                    JsonNode backend = path.at("/backend/service");
                    JsonNode service = manifests.get("Service", backend.path("name").asString());
                    assertThat(Objects.list(service.at("/spec/ports")))
                            .anySatisfy(p -> assertThat(p.path("name").asString()).isEqualTo(backend.at("/port/name").asString()));
                    if (backend.path("name").asString().equals("triage-service")) {
                        assertThat(path.path("path").asString()).isIn("/model", "/rescore");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void onlyTheDashboardAndTheIngressControllerReachTheService(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        int port = AppContainer.service(manifests).container().at("/ports/0/containerPort").asInt();
        List<JsonNode> policies = manifests.all("NetworkPolicy").stream()
                .filter(p -> Objects.strings(p.at("/spec/policyTypes")).contains("Ingress"))
                .filter(p -> "triage-service".equals(p.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asString("")))
                .toList();

        assertThat(policies).hasSize(1);
        JsonNode rule = policies.get(0).at("/spec/ingress/0");
        assertThat(policies.get(0).at("/spec/ingress")).hasSize(1);
        assertThat(Objects.list(rule.path("ports"))).extracting(p -> p.path("port").asInt()).containsExactly(port);
        assertThat(Objects.list(rule.path("from"))).extracting(ServiceRoutingTest::peer)
                .containsExactlyInAnyOrder("pods app.kubernetes.io/name=triage-dashboard",
                        "namespace ingress-nginx pods app.kubernetes.io/name=ingress-nginx");
        JsonNode dashboardEgress = manifests.get("NetworkPolicy", "triage-dashboard-egress-service");
        assertThat(dashboardEgress.at("/spec/egress/0/ports/0/port").asInt()).isEqualTo(port);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyPodOfTheFlowIsHeldByTheEgressPolicy(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        JsonNode egress = manifests.get("NetworkPolicy", "lesion-triage-egress");
        Map<String, String> selector = Objects.map(egress.at("/spec/podSelector/matchLabels"));
        for (String kind : List.of("Deployment")) {
            for (JsonNode workload : manifests.all(kind)) {
                assertThat(Objects.map(workload.at("/spec/template/metadata/labels"))).as(Objects.id(workload))
                        .containsAllEntriesOf(selector);
            }
        }
        assertThat(Objects.list(egress.at("/spec/egress"))).hasSize(3);
    }

    private static String peer(JsonNode from) {
        String pods = "pods " + Objects.map(from.at("/podSelector/matchLabels")).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + "," + b).orElse("");
        String namespace = from.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asString("");
        return namespace.isEmpty() ? pods : "namespace " + namespace + " " + pods;
    }
}
