package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.deploy.kube.Objects;
import org.lesiontriage.deploy.schema.ComposeSpecification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * docker/compose.yaml against the Compose specification's schema, and against the services: the variables they
 * read, their ports and health endpoints, the topics of the contracts with their record size, the registry at
 * BACKWARD compatibility, health checks that the start order waits on. That the stack comes up needs an engine.
 */
@Tag("unit")
class ComposeFileTest {

    static final JsonNode COMPOSE = YamlDocuments.readOne(ProjectFiles.path("docker/compose.yaml"));
    static final JsonNode SERVICES = COMPOSE.path("services");

    static Map<String, String> environment(String service) {
        return Objects.map(SERVICES.path(service).path("environment"));
    }

    @Test
    void theFileIsValidAgainstTheComposeSpecification() {
        assertThat(ComposeSpecification.load().problems("docker/compose.yaml", COMPOSE)).isEmpty();
    }

    @Test
    void aBrokenComposeFileIsReported() {
        ObjectNode broken = (ObjectNode) COMPOSE.deepCopy();
        ((ObjectNode) broken.path("services").path("triage")).put("restart_policy", "always");
        ((ObjectNode) broken.at("/services/triage/depends_on/registry")).put("condition", "service_ready");

        assertThat(ComposeSpecification.load().problems("broken", broken))
                .anySatisfy(p -> assertThat(p).contains("restart_policy"))
                .anySatisfy(p -> assertThat(p).contains("/services/triage/depends_on/registry/condition"));
    }

    @Test
    void everyLongRunningServiceHasAHealthCheckAndTheStartOrderWaitsOnThem() {
        SERVICES.properties().forEach(entry -> {
            String name = entry.getKey();
            JsonNode service = entry.getValue();
            if (!name.equals("topics")) {
                assertThat(service.at("/healthcheck/test")).as(name).isNotEmpty();
            }
            service.path("depends_on").properties().forEach(dependency -> {
                String condition = dependency.getValue().path("condition").asString();
                if (condition.equals("service_healthy")) {
                    assertThat(SERVICES.path(dependency.getKey()).has("healthcheck")).as(dependency.getKey()).isTrue();
                } else {
                    assertThat(condition).isEqualTo("service_completed_successfully");
                    assertThat(dependency.getKey()).isEqualTo("topics");
                }
            });
        });
    }

    @Test
    void imagesArePinnedOrBuiltHere() {
        SERVICES.properties().forEach(entry -> {
            JsonNode service = entry.getValue();
            String image = service.path("image").asString();
            if (service.has("build")) {
                assertThat(DockerImagesTest.IMAGES).as(entry.getKey()).containsEntry(image, service.at("/build/dockerfile").asString());
                assertThat(service.at("/build/context").asString()).isEqualTo("..");
            } else {
                assertThat(image).as(entry.getKey()).matches(".+:[^@]+@sha256:[0-9a-f]{64}");
            }
        });
    }

    @Test
    void theServicesGetOnlyVariablesTheyReadAndServeWhereTheStackLooks() {
        Map<String, ServiceConfiguration> apps = Map.of("triage", ServiceConfiguration.triage(),
                "dashboard", ServiceConfiguration.dashboard());
        apps.forEach((name, app) -> {
            Map<String, String> env = environment(name);
            assertThat(env.keySet()).as(name).allSatisfy(v -> assertThat(app.variables()).contains(v));
            int port = app.port(env);
            assertThat(Objects.strings(SERVICES.path(name).path("ports"))).as(name).containsExactly(port + ":" + port);
            String check = String.join(" ", Objects.strings(SERVICES.path(name).at("/healthcheck/test")));
            assertThat(check).contains("/127.0.0.1/" + port).contains(app.path("health/ready"));
            assertThat(SERVICES.path(name).path("read_only").asBoolean()).isTrue();
            assertThat(Objects.strings(SERVICES.path(name).path("cap_drop"))).containsExactly("ALL");
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
            URI registry = URI.create(env.get("SCHEMA_REGISTRY_URL"));
            assertThat(registry.getHost()).isEqualTo("registry");
            assertThat(Objects.strings(SERVICES.at("/registry/ports"))).containsExactly("8081:" + registry.getPort());
        });
        assertThat(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS")).contains("//kafka:9092");
        assertThat(environment("dashboard").get("DASHBOARD_SERVICE_METRICS_URL"))
                .isEqualTo("http://triage:" + ServiceConfiguration.triage().defaultPort() + ServiceConfiguration.triage().path("metrics"));
    }

    @Test
    void theUsersFilesAreMountedWhereTheVariablesPoint() {
        Map<String, List<String>> files = Map.of(
                "triage", List.of("TRIAGE_USERS_FILE", "TRIAGE_ROLES_FILE"),
                "dashboard", List.of("DASHBOARD_USERS_FILE", "DASHBOARD_ROLES_FILE"));
        files.forEach((service, variables) -> {
            List<String> mounts = Objects.strings(SERVICES.path(service).path("volumes"));
            for (String variable : variables) {
                String file = environment(service).get(variable);
                String dir = file.substring(0, file.lastIndexOf('/'));
                assertThat(mounts).as(variable).anySatisfy(m -> assertThat(m).endsWith(":" + dir + ":ro"));
            }
        });
        assertThat(environment("triage").get("TRIAGE_USERS_FILE")).startsWith(AgreedNames.API_USERS_DIR + "/");
        assertThat(environment("dashboard").get("DASHBOARD_USERS_FILE")).startsWith(AgreedNames.DASHBOARD_USERS_DIR + "/");
    }

    @Test
    void theTopicsOfTheContractsAreCreatedWithTheirRecordSize() throws IllegalAccessException {
        String script = String.join("\n", Objects.strings(SERVICES.at("/topics/command")));
        Map<String, String> created = new LinkedHashMap<>();
        Map<String, Integer> partitions = new LinkedHashMap<>();
        Matcher create = Pattern.compile("(?m)^\\s*create (\\S+) (\\d+)(.*)$").matcher(script);
        while (create.find()) {
            created.put(create.group(1), create.group(3));
            partitions.put(create.group(1), Integer.parseInt(create.group(2)));
        }

        assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(KafkaResourcesTest.contractTopics());
        long producerLimit = Long.parseLong(ServiceConfiguration.triage().properties()
                .get("kafka-streams.producer.max.request.size").orElseThrow());
        assertThat(created.get("lesion-images")).contains("max.message.bytes=" + RecordLimits.MAX_IMAGE_RECORD_BYTES);
        Matcher failures = Pattern.compile("max\\.message\\.bytes=(\\d+)").matcher(created.get("triage-failures"));
        assertThat(failures.find()).isTrue();
        assertThat(Long.parseLong(failures.group(1))).as("dead letters carry the image").isGreaterThanOrEqualTo(producerLimit);
        for (String topic : Topics.COMPACTED) {
            assertThat(created.get(topic)).contains("cleanup.policy=compact");
        }
        for (String topic : Topics.LIFECYCLE) {
            assertThat(partitions.get(topic)).as(topic).isEqualTo(1);
        }
        // a model release carries its ONNX bytes inline
        assertThat(created.get(Topics.MODELS)).contains("max.message.bytes=" + RecordLimits.MAX_DERIVED_RECORD_BYTES);
        assertThat(Long.parseLong(environment("kafka").get("KAFKA_MESSAGE_MAX_BYTES"))).isGreaterThanOrEqualTo(producerLimit);
    }

    @Test
    void theRegistryEnforcesBackwardCompatibility() {
        assertThat(environment("registry")).containsEntry("APICURIO_RULES_GLOBAL_COMPATIBILITY", "BACKWARD");
        List<String> check = new ArrayList<>(Objects.strings(SERVICES.at("/registry/healthcheck/test")));
        assertThat(String.join(" ", check)).contains("/health/ready");
    }
}
