package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.lesiontriage.deploy.kube.Objects;
import tools.jackson.databind.JsonNode;

/** The egress policy lets the flow's pods reach the Kafka and registry ports their settings name. */
final class NetworkAssertions {

    private NetworkAssertions() {
    }

    static void assertEgressAllowed(String bootstrapServers, String registryUrl) {
        JsonNode policy = ProjectFiles.rendered(ProjectFiles.CPU).get("NetworkPolicy", "lesion-triage-egress");
        for (String server : bootstrapServers.split(",")) {
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            assertThat(egressPorts(policy, "strimzi.io/cluster")).as("Kafka port " + port).contains(port);
        }
        URI registry = URI.create(registryUrl);
        assertThat(egressPorts(policy, "app.kubernetes.io/name")).as("registry port").contains(registry.getPort());
    }

    /** The ports of the egress rules whose pod selector has {@code label}. */
    static List<Integer> egressPorts(JsonNode policy, String label) {
        return Objects.list(policy.at("/spec/egress")).stream()
                .filter(rule -> Objects.list(rule.path("to")).stream().anyMatch(to -> to.at("/podSelector/matchLabels").has(label)))
                .flatMap(rule -> Objects.list(rule.path("ports")).stream())
                .map(p -> p.path("port").asInt())
                .toList();
    }
}
