package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.deploy.kube.RenderedManifests;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's Deployment against the dashboard (services/dashboard): the variables it reads, its port and
 * health paths, the agreed users Secret, the service's metrics at the service's own address and port, and on the
 * secured cluster its own KafkaUser with the topics and groups it uses.
 */
@Tag("unit")
class DashboardManifestTest {

    static final List<String> OVERLAYS = ProjectFiles.SERVICE_OVERLAYS;
    static final ServiceConfiguration DASHBOARD = ServiceConfiguration.dashboard();

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void portsProbesAndUsersAreTheDashboards(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        JsonNode container = AppContainer.dashboard(manifests).container();
        Map<String, String> env = AppContainer.dashboard(manifests).environment();
        int port = DASHBOARD.port(env);

        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(port);
        assertThat(container.at("/livenessProbe/httpGet/path").asString()).isEqualTo(DASHBOARD.path("health/live"));
        assertThat(container.at("/readinessProbe/httpGet/path").asString()).isEqualTo(DASHBOARD.path("health/ready"));
        ServiceRoutingTest.assertServiceReaches(manifests, "triage-dashboard", AppContainer.dashboard(manifests).workload(), port);
        String users = DASHBOARD.properties().resolve("dashboard.auth.users-file", env).orElseThrow();
        String roles = DASHBOARD.properties().resolve("dashboard.auth.roles-file", env).orElseThrow();
        assertThat(users).isEqualTo(AgreedNames.DASHBOARD_USERS_DIR + "/" + AgreedNames.USERS_KEY);
        assertThat(Pods.isSecretFile(AppContainer.dashboard(manifests).workload(), container, users, AgreedNames.DASHBOARD_USERS_SECRET,
                AgreedNames.USERS_KEY)).isTrue();
        assertThat(Pods.isSecretFile(AppContainer.dashboard(manifests).workload(), container, roles, AgreedNames.DASHBOARD_USERS_SECRET,
                AgreedNames.ROLES_KEY)).isTrue();
        assertThat(Pods.isWritable(AppContainer.dashboard(manifests).workload(), container, "/tmp")).isTrue();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theDashboardReadsTheServicesMetricsThroughItsService(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        Map<String, String> env = AppContainer.dashboard(manifests).environment();
        String url = DASHBOARD.properties().resolve("dashboard.service-metrics-url", env).orElseThrow();
        int servicePort = manifests.get("Service", "triage-service").at("/spec/ports/0/port").asInt();

        assertThat(url).isEqualTo("http://triage-service:" + servicePort + ServiceConfiguration.triage().path("metrics"));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void severalInstancesShareTheSessionKeyAndTheKafkaSettingsOfTheService(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        Map<String, String> env = AppContainer.dashboard(manifests).environment();

        assertThat(AppContainer.dashboard(manifests).workload().at("/spec/replicas").asInt()).isGreaterThan(1);
        assertThat(DASHBOARD.properties().get("quarkus.http.auth.session.encryption-key").orElseThrow())
                .contains("DASHBOARD_SESSION_KEY");
        assertThat(env.get("DASHBOARD_SESSION_KEY")).startsWith("<secret ");
        Map<String, String> service = AppContainer.service(manifests).environment();
        assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(service.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(env.get("SCHEMA_REGISTRY_URL")).isEqualTo(service.get("SCHEMA_REGISTRY_URL"));
    }

    @Test
    void theSecuredDashboardLogsInAsItsOwnUserWithTheTopicsItUses() {
        RenderedManifests manifests = ProjectFiles.rendered(ProjectFiles.SECURED);
        TransportSecurityAssertions.assertSecured(AppContainer.dashboard(manifests), "triage-dashboard");

        var acls = KafkaResourcesTest.acls(manifests.get("KafkaUser", "triage-dashboard"));
        for (String topic : List.of(Topics.TRIAGE_RESULTS, Topics.TRIAGE_FAILURES, Topics.REVIEWS, Topics.LESION_IMAGES,
                Topics.SHADOW_RESULTS, Topics.ROLLOUTS)) {
            assertThat(acls).contains("topic:literal:" + topic + " Read");
        }
        assertThat(acls).contains("topic:literal:" + Topics.REVIEWS + " Write",
                "group:prefix:" + AgreedNames.DASHBOARD_GROUP_PREFIX + " Read");
        for (String readOnly : List.of(Topics.TRIAGE_RESULTS, Topics.SHADOW_RESULTS, Topics.ROLLOUTS)) {
            assertThat(acls).noneMatch(acl -> acl.contains(readOnly + " Write"));
        }
    }
}
