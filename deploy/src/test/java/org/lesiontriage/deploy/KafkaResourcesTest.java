package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.deploy.kube.Objects;
import org.lesiontriage.deploy.kube.RenderedManifests;
import org.lesiontriage.triage.config.TriageSettings;
import org.lesiontriage.triage.rescore.RangeBound;
import org.lesiontriage.triage.rescore.RescoreRequest;
import tools.jackson.databind.JsonNode;

/**
 * The Kafka side against the service: a KafkaTopic for every topic of the contracts with the record size the
 * service produces, KEDA scaling the service's consumer group on its input within the partition count, and each
 * KafkaUser holding exactly the ACLs its client needs, derived from the service's settings (application id, topic
 * names), the re-score jobs' naming and the model lifecycle's topics (Topics.LIFECYCLE).
 */
@Tag("unit")
class KafkaResourcesTest {

    static final RenderedManifests CPU = ProjectFiles.rendered(ProjectFiles.CPU);
    static final TriageSettings SETTINGS = TriageSettings.load(Map.of(),
            AppContainer.service(CPU).runtimeEnvironment());

    /** One ACL entry as "type:patternType:name operation", the way the broker stores them. */
    static Set<String> acls(JsonNode kafkaUser) {
        Set<String> acls = new TreeSet<>();
        for (JsonNode acl : kafkaUser.at("/spec/authorization/acls")) {
            JsonNode resource = acl.path("resource");
            String name = resource.path("type").asString().equals("cluster") ? "kafka-cluster"
                    : resource.path("patternType").asString("literal") + ":" + resource.path("name").asString();
            for (String operation : Objects.strings(acl.path("operations"))) {
                acls.add(resource.path("type").asString() + ":" + name + " " + operation);
            }
        }
        return acls;
    }

    static Set<String> allow(String type, String pattern, String name, String... operations) {
        Set<String> acls = new TreeSet<>();
        for (String operation : operations) {
            acls.add(type + ":" + (type.equals("cluster") ? "kafka-cluster" : pattern + ":" + name) + " " + operation);
        }
        return acls;
    }

    static List<String> contractTopics() throws IllegalAccessException {
        List<String> topics = new ArrayList<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                topics.add((String) field.get(null));
            }
        }
        return topics;
    }

    static JsonNode topic(String name) {
        return CPU.all("KafkaTopic").stream()
                .filter(t -> name.equals(t.at("/spec/topicName").asString(Objects.name(t)))).findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaTopic for " + name));
    }

    @Test
    void everyTopicOfTheContractsHasAKafkaTopicOnTheCluster() throws IllegalAccessException {
        List<String> topics = contractTopics();

        assertThat(topics).contains(SETTINGS.triage().topics().images(), SETTINGS.triage().topics().results(),
                SETTINGS.triage().topics().failures());
        for (String name : topics) {
            JsonNode topic = topic(name);
            assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asString()).isEqualTo(AgreedNames.KAFKA_CLUSTER);
            assertThat(topic.at("/spec/replicas").asInt()).isGreaterThan(
                    Integer.parseInt(topic.at("/spec/config/min.insync.replicas").asString()));
        }
        assertThat(CPU.all("KafkaTopic")).hasSize(topics.size());
    }

    @Test
    void topicsThatCarryImagesTakeTheRecordsProducedIntoThem() {
        long images = topic(SETTINGS.triage().topics().images()).at("/spec/config/max.message.bytes").asLong();
        // clinics publish images up to the contracts' limit, and the service can fetch whatever the topic holds
        assertThat(images).isGreaterThanOrEqualTo(RecordLimits.MAX_IMAGE_RECORD_BYTES)
                .isLessThanOrEqualTo(Long.parseLong(SETTINGS.kafkaStreams().get("consumer.max.partition.fetch.bytes")));
        // dead letters carry the image: the topic takes the largest record the service's producer sends
        assertThat(topic(SETTINGS.triage().topics().failures()).at("/spec/config/max.message.bytes").asLong())
                .isGreaterThanOrEqualTo(Long.parseLong(SETTINGS.kafkaStreams().get("producer.max.request.size")));
    }

    @Test
    void theTopicsTheContractsCompactAreCompacted() {
        for (String name : Topics.COMPACTED) {
            assertThat(topic(name).at("/spec/config/cleanup.policy").asString()).as(name).isEqualTo("compact");
        }
        assertThat(topic(SETTINGS.triage().topics().images()).at("/spec/config/cleanup.policy").isMissingNode()).isTrue();
    }

    @Test
    void theLifecycleTopicsHaveOnePartitionEachAndAreReplicatedLikeTheFlow() {
        JsonNode images = topic(SETTINGS.triage().topics().images());
        assertThat(Topics.LIFECYCLE).isNotEmpty();
        for (String name : Topics.LIFECYCLE) {
            JsonNode topic = topic(name);
            // one order of releases, statuses and rollouts for every reader (docs/model-lifecycle.md)
            assertThat(topic.at("/spec/partitions").asInt()).as(name).isEqualTo(1);
            assertThat(Topics.COMPACTED).as(name).contains(name);
            assertThat(topic.at("/spec/replicas").asInt()).as(name).isEqualTo(images.at("/spec/replicas").asInt());
            assertThat(topic.at("/spec/config/min.insync.replicas").asString()).as(name)
                    .isEqualTo(images.at("/spec/config/min.insync.replicas").asString());
        }
    }

    @Test
    void theModelsTopicTakesAReleaseWithItsModelInline() {
        long models = topic(Topics.MODELS).at("/spec/config/max.message.bytes").asLong();
        // a release carries its ONNX bytes (up to an image record's size) in an envelope, like the derived records
        assertThat(models).isGreaterThanOrEqualTo(RecordLimits.MAX_DERIVED_RECORD_BYTES)
                .isEqualTo(topic(SETTINGS.triage().topics().failures()).at("/spec/config/max.message.bytes").asLong());
    }

    @Test
    void theRolloutHistoryIsNeverDeleted() {
        JsonNode config = topic(Topics.ROLLOUTS).at("/spec/config");
        // compaction alone (no "delete") keeps every rollout id; no retention, should "delete" ever be added
        assertThat(config.path("cleanup.policy").asString()).isEqualTo("compact");
        assertThat(config.path("retention.ms").asLong(0)).isEqualTo(-1);
    }

    @Test
    void resultsArePartitionedLikeTheirInput() {
        assertThat(topic(SETTINGS.triage().topics().results()).at("/spec/partitions").asInt())
                .isEqualTo(topic(SETTINGS.triage().topics().images()).at("/spec/partitions").asInt());
    }

    @Test
    void kedaScalesTheServicesGroupOnItsInputWithinThePartitions() {
        for (String overlay : ProjectFiles.SERVICE_OVERLAYS) {
            RenderedManifests manifests = ProjectFiles.rendered(overlay);
            JsonNode scaler = manifests.get("ScaledObject", "triage-service");
            JsonNode trigger = scaler.at("/spec/triggers/0");
            Map<String, String> env = AppContainer.service(manifests).environment();

            assertThat(scaler.at("/spec/scaleTargetRef/name").asString())
                    .isEqualTo(Objects.name(AppContainer.service(manifests).workload()));
            assertThat(AppContainer.service(manifests).workload().at("/spec/replicas").isMissingNode())
                    .as("KEDA owns the replica count").isTrue();
            assertThat(trigger.path("type").asString()).isEqualTo("kafka");
            assertThat(trigger.at("/metadata/consumerGroup").asString()).isEqualTo(SETTINGS.applicationId());
            assertThat(trigger.at("/metadata/topic").asString()).isEqualTo(SETTINGS.triage().topics().images());
            assertThat(trigger.at("/metadata/bootstrapServers").asString()).isEqualTo(env.get("KAFKA_BOOTSTRAP_SERVERS"));
            assertThat(trigger.at("/metadata/allowIdleConsumers").asString()).isEqualTo("false");
            int max = scaler.at("/spec/maxReplicaCount").asInt();
            int partitions = topic(SETTINGS.triage().topics().images()).at("/spec/partitions").asInt();
            assertThat(max).isBetween(scaler.at("/spec/minReplicaCount").asInt(), partitions);
            // every stream thread of every replica gets a partition, or it idles
            int threads = Integer.parseInt(TriageSettings.load(Map.of(), AppContainer.service(manifests).runtimeEnvironment())
                    .kafkaStreams().get("num.stream.threads"));
            assertThat(max * threads).as(overlay + ": replicas x stream threads").isLessThanOrEqualTo(partitions);
        }
    }

    @Test
    void theServiceUserMayDoExactlyWhatTheServiceDoes() {
        String appId = SETTINGS.applicationId();
        var topics = SETTINGS.triage().topics();
        Set<String> expected = new TreeSet<>();
        expected.addAll(allow("topic", "literal", topics.images(), "Read", "Describe"));
        expected.addAll(allow("topic", "literal", topics.results(), "Write", "Describe"));
        expected.addAll(allow("topic", "literal", topics.failures(), "Write", "Describe"));
        expected.addAll(allow("topic", "literal", topics.shadowResults(), "Write", "Describe"));
        // the model lifecycle: reads releases and rollouts, writes its status and reads the board back
        expected.addAll(allow("topic", "literal", Topics.MODELS, "Read", "Describe"));
        expected.addAll(allow("topic", "literal", Topics.ROLLOUTS, "Read", "Describe"));
        expected.addAll(allow("topic", "literal", Topics.MODEL_STATUS, "Read", "Write", "Describe"));
        expected.addAll(allow("group", "literal", appId, "Read", "Describe"));
        // Kafka Streams' internal topics (the pending-images changelog) and exactly-once v2's transactional ids
        expected.addAll(allow("topic", "prefix", appId + "-", "Create", "Read", "Write", "Describe", "DescribeConfigs"));
        expected.addAll(allow("transactionalId", "prefix", appId + "-", "Write", "Describe"));
        expected.addAll(allow("cluster", "", "", "IdempotentWrite"));

        assertThat(SETTINGS.kafkaStreams().get("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(acls(ProjectFiles.rendered(ProjectFiles.SECURED).get("KafkaUser", "triage-service")))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void theRescoreUserMayRunReplaysAndNothingOfTheLiveService() {
        RescoreRequest request = new RescoreRequest("probe", SETTINGS.triage().topics().images(), RangeBound.parse("earliest"),
                RangeBound.parse("latest"), Path.of("models/proposed/1.0.0"), null, null);
        String appPrefix = request.applicationId().substring(0, request.applicationId().length() - "probe".length());
        String outputPrefix = request.resultsTopic().substring(0, request.resultsTopic().length() - "probe".length());
        assertThat(request.failuresTopic()).startsWith(outputPrefix);
        Set<String> expected = new TreeSet<>();
        expected.addAll(allow("topic", "literal", SETTINGS.triage().topics().images(), "Read", "Describe"));
        expected.addAll(allow("topic", "prefix", outputPrefix, "Create", "Write", "Describe"));
        expected.addAll(allow("group", "prefix", appPrefix, "Read", "Describe"));
        expected.addAll(allow("topic", "prefix", appPrefix, "Create", "Read", "Write", "Describe", "DescribeConfigs"));
        expected.addAll(allow("transactionalId", "prefix", appPrefix, "Write", "Describe"));
        expected.addAll(allow("cluster", "", "", "IdempotentWrite"));

        assertThat(acls(ProjectFiles.rendered(ProjectFiles.SECURED).get("KafkaUser", "triage-rescore")))
                .containsExactlyElementsOf(expected);
        assertThat(appPrefix).startsWith(SETTINGS.applicationId() + "-").isNotEqualTo(SETTINGS.applicationId() + "-");
    }

    @Test
    void theModelsAdminMayPublishActivateReadTheBoardAndWhatTheGateJudgesAndNothingElse() {
        Set<String> expected = new TreeSet<>();
        // publish: a release; activate and roll back: a rollout, read back to know the active version
        expected.addAll(allow("topic", "literal", Topics.MODELS, "Read", "Write", "Describe"));
        expected.addAll(allow("topic", "literal", Topics.ROLLOUTS, "Read", "Write", "Describe"));
        // the board: which instance has which release READY
        expected.addAll(allow("topic", "literal", Topics.MODEL_STATUS, "Read", "Describe"));
        // an activation's marker into every input partition, in one transaction with the rollout
        expected.addAll(allow("topic", "literal", SETTINGS.triage().topics().images(), "Write", "Describe"));
        expected.addAll(allow("transactionalId", "literal", AgreedNames.MODELS_ADMIN_TRANSACTIONAL_ID, "Write", "Describe"));
        expected.addAll(allow("cluster", "", "", "IdempotentWrite"));
        // the service's live instances (members of its group) and the group's committed offsets; no group of its own
        expected.addAll(allow("group", "literal", SETTINGS.applicationId(), "Describe"));
        // the promotion gate: the live results beside the shadow's or a replay's (assigned partitions, no group)
        expected.addAll(allow("topic", "literal", SETTINGS.triage().topics().results(), "Read", "Describe"));
        expected.addAll(allow("topic", "literal", SETTINGS.triage().topics().shadowResults(), "Read", "Describe"));
        expected.addAll(allow("topic", "prefix", "triage-rescore-", "Read", "Describe"));

        JsonNode user = ProjectFiles.rendered(ProjectFiles.SECURED).get("KafkaUser", AgreedNames.MODELS_ADMIN_USER);
        assertThat(acls(user)).containsExactlyElementsOf(expected);
        assertThat(user.at("/spec/authentication/type").asString()).isEqualTo("scram-sha-512");
    }

    @Test
    void onlyTheModelsAdminPublishesOrActivatesModels() {
        for (JsonNode user : ProjectFiles.rendered(ProjectFiles.SECURED).all("KafkaUser")) {
            if (Objects.name(user).equals(AgreedNames.MODELS_ADMIN_USER)) {
                continue;
            }
            for (String topic : List.of(Topics.MODELS, Topics.ROLLOUTS)) {
                assertThat(acls(user)).as(Objects.name(user) + " on " + topic).noneMatch(acl -> grants(acl, "topic", topic, "Write"));
            }
        }
        assertThat(acls(ProjectFiles.rendered(ProjectFiles.SECURED).get("KafkaUser", AgreedNames.MODELS_ADMIN_USER)))
                .anyMatch(acl -> grants(acl, "topic", Topics.ROLLOUTS, "Write"));
    }

    /** Whether an ACL entry of {@link #acls} allows {@code operation} on the resource, literally or by prefix. */
    static boolean grants(String acl, String type, String name, String operation) {
        String[] parts = acl.split(" ");
        if (!parts[1].equals(operation) || !parts[0].startsWith(type + ":")) {
            return false;
        }
        String resource = parts[0].substring(type.length() + 1);
        return resource.equals("literal:" + name)
                || resource.startsWith("prefix:") && name.startsWith(resource.substring("prefix:".length()));
    }

    @Test
    void kedaMayOnlyReadTheLag() {
        assertThat(acls(ProjectFiles.rendered(ProjectFiles.SECURED).get("KafkaUser", "triage-keda")))
                .containsExactlyInAnyOrder("topic:literal:" + SETTINGS.triage().topics().images() + " Describe",
                        "group:literal:" + SETTINGS.applicationId() + " Describe");
    }

    @Test
    void noUserHoldsAWildcardOrAll() {
        for (JsonNode user : ProjectFiles.rendered(ProjectFiles.SECURED).all("KafkaUser")) {
            assertThat(acls(user)).as(Objects.name(user)).noneMatch(acl -> acl.contains(":*") || acl.endsWith(" All"));
        }
    }
}
