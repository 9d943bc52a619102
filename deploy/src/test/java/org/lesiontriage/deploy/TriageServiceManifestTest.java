package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lesiontriage.deploy.kube.RenderedManifests;
import org.lesiontriage.triage.config.TriageSettings;
import tools.jackson.databind.JsonNode;

/**
 * The service's Deployment against the service itself: every variable it sets is one the service reads, the
 * settings the service resolves from that environment are the ones meant (Kafka, registry, model, device, transport
 * security), ports and probes are the service's, every path it reads or writes is mounted, and the files of the
 * agreed Secrets are where the variables point. A renamed setting, port, path or key fails here.
 */
@Tag("unit")
class TriageServiceManifestTest {

    static final List<String> OVERLAYS = ProjectFiles.SERVICE_OVERLAYS;
    static final ServiceConfiguration SERVICE = ServiceConfiguration.triage();

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theServiceResolvesTheIntendedSettings(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        Map<String, String> env = AppContainer.service(manifests).environment();
        TriageSettings settings = TriageSettings.load(Map.of(), AppContainer.service(manifests).runtimeEnvironment());

        assertThat(settings.bootstrapServers()).isEqualTo(env.get("KAFKA_BOOTSTRAP_SERVERS"))
                .startsWith(AgreedNames.KAFKA_CLUSTER + "-kafka-bootstrap:");
        assertThat(settings.triage().schemaRegistry().url()).isEqualTo(env.get("SCHEMA_REGISTRY_URL"));
        assertThat(settings.triage().model().device().name().toLowerCase())
                .isEqualTo(overlay.equals(ProjectFiles.GPU) ? "cuda" : "cpu");
        // threads x intra-op threads within the CPUs the pod asks for
        long cpus = Long.parseLong(AppContainer.service(manifests).container().at("/resources/requests/cpu").asString());
        int threads = Integer.parseInt(settings.kafkaStreams().get("num.stream.threads"));
        assertThat((long) threads * settings.triage().model().intraOpThreads()).isLessThanOrEqualTo(cpus);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theServedModelIsInTheImage(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        String modelDir = TriageSettings.load(Map.of(), AppContainer.service(manifests).runtimeEnvironment()).triage().model().dir();

        DockerImagesTest.assertModelInImage(AppContainer.service(manifests).image(), modelDir);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void portsAndProbesAreTheServices(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        JsonNode deployment = AppContainer.service(manifests).workload();
        JsonNode container = AppContainer.service(manifests).container();
        int port = SERVICE.port(AppContainer.service(manifests).environment());

        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(port);
        assertThat(container.at("/ports/0/name").asString()).isEqualTo("http");
        assertThat(container.at("/livenessProbe/httpGet/path").asString()).isEqualTo(SERVICE.path("health/live"));
        assertThat(container.at("/startupProbe/httpGet/path").asString()).isEqualTo(SERVICE.path("health/live"));
        assertThat(container.at("/readinessProbe/httpGet/path").asString()).isEqualTo(SERVICE.path("health/ready"));
        JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
        assertThat(annotations.path("prometheus.io/port").asString()).isEqualTo(String.valueOf(port));
        assertThat(annotations.path("prometheus.io/path").asString()).isEqualTo(SERVICE.path("metrics"));
        ServiceRoutingTest.assertServiceReaches(manifests, "triage-service", deployment, port);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyPathTheServiceWritesIsAWritableVolume(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        JsonNode container = AppContainer.service(manifests).container();
        TriageSettings settings = TriageSettings.load(Map.of(), AppContainer.service(manifests).runtimeEnvironment());

        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        // java.io.tmpdir: ONNX Runtime's native library, Kafka Streams' state.dir (unset: under the temp folder)
        assertThat(settings.kafkaStreams()).doesNotContainKey("state.dir");
        assertThat(Pods.isWritable(AppContainer.service(manifests).workload(), container, "/tmp")).isTrue();
        String workDir = settings.triage().rescore().workDir();
        assertThat(workDir).startsWith("/");
        assertThat(Pods.isWritable(AppContainer.service(manifests).workload(), container, workDir)).as(workDir).isTrue();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theApiUsersComeFromTheAgreedSecret(String overlay) {
        RenderedManifests manifests = ProjectFiles.rendered(overlay);
        Map<String, String> env = AppContainer.service(manifests).environment();
        String usersFile = SERVICE.properties().resolve("triage-api.users-file", env).orElseThrow();
        String rolesFile = SERVICE.properties().resolve("triage-api.roles-file", env).orElseThrow();

        assertThat(usersFile).isEqualTo(AgreedNames.API_USERS_DIR + "/" + AgreedNames.USERS_KEY);
        assertThat(rolesFile).isEqualTo(AgreedNames.API_USERS_DIR + "/" + AgreedNames.ROLES_KEY);
        assertThat(Pods.isSecretFile(AppContainer.service(manifests).workload(), AppContainer.service(manifests).container(), usersFile,
                AgreedNames.API_USERS_SECRET, AgreedNames.USERS_KEY)).isTrue();
        assertThat(Pods.isSecretFile(AppContainer.service(manifests).workload(), AppContainer.service(manifests).container(), rolesFile,
                AgreedNames.API_USERS_SECRET, AgreedNames.ROLES_KEY)).isTrue();
    }

    @Test
    void theSecuredServiceLogsInAsItsKafkaUserAndTrustsTheMountedCas() {
        RenderedManifests manifests = ProjectFiles.rendered(ProjectFiles.SECURED);
        TransportSecurityAssertions.assertSecured(AppContainer.service(manifests), "triage-service");
        TriageSettings settings = TriageSettings.load(Map.of(), AppContainer.service(manifests).environment());
        assertThat(settings.kafkaStreams()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PEM");
        assertThat(settings.triage().schemaRegistry().url()).startsWith("https://");
    }

    @Test
    void thePlaintextOverlaysCarryNoCredentials() {
        for (String overlay : List.of(ProjectFiles.CPU, ProjectFiles.GPU)) {
            Map<String, String> env = AppContainer.service(ProjectFiles.rendered(overlay)).environment();
            assertThat(env).doesNotContainKeys("KAFKA_SASL_JAAS_CONFIG", "KAFKA_SECURITY_PROTOCOL");
        }
    }
}
