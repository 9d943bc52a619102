package org.lesiontriage.triage.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.ModelState;
import org.lesiontriage.contracts.ModelStatus;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TriageStack;
import org.lesiontriage.triage.testing.TriageWorker;

/**
 * Service instances (worker JVMs, killable with SIGKILL) in the model lifecycle on a real broker and registry, and
 * what the tests do to them: publish, activate, send events and remember where each landed, read the results.
 */
final class LifecycleCluster implements AutoCloseable {

    static final Path SERVED = TestModel.dir();
    static final Path INT8 = TestModel.projectRoot().resolve("models/triagenet/2.0.0-int8");
    static final ModelKey V2 = new ModelKey("triagenet", "2.0.0");
    static final ModelKey V2_INT8 = new ModelKey("triagenet", "2.0.0-int8");

    private final TriageStack stack;
    private final String applicationId;
    private final Path state;
    private final Map<String, Process> instances = new HashMap<>();
    private final Map<String, Integer> restarts = new HashMap<>();
    /** Where each sent event landed: event id to partition and offset. */
    final Map<String, TopicPartitionOffset> sent = new java.util.concurrent.ConcurrentHashMap<>();
    private final LifecycleView view;

    record TopicPartitionOffset(int partition, long offset) {
    }

    LifecycleCluster(TriageStack stack, String applicationId, Path state) throws Exception {
        this.stack = stack;
        this.applicationId = applicationId;
        this.state = state;
        this.view = new LifecycleView(Topics.LESION_IMAGES, V2, kafka(), stack.serdeConfig()).start(Duration.ofSeconds(60));
    }

    Map<String, Object> kafka() {
        return new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    void start(String instance) throws IOException {
        int run = restarts.merge(instance, 1, Integer::sum);
        Path dir = state.resolve(instance);
        instances.put(instance, TriageWorker.startInstance(stack, applicationId, dir, 8, 20, id(instance)));
        if (run > 1) {
            System.out.println("restarted " + instance + " (run " + run + ")");
        }
    }

    /** The instance's id on the broker: tests of one class share a broker, so each names its own instances. */
    String id(String instance) {
        return applicationId + "-" + instance;
    }

    /** SIGKILL: no shutdown hook, no close, no last commit. */
    void kill(String instance) throws InterruptedException {
        instances.get(instance).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    String log(String instance) throws IOException {
        return Files.readString(state.resolve(instance).resolve("worker.log"));
    }

    void publish(ModelRelease release) throws Exception {
        new ReleasePublisher(kafka(), stack.serdeConfig()).publish(release);
    }

    /** Waits until {@code instance} reports {@code key} in a state {@code wanted} accepts; returns that report. */
    ModelStatus awaitStatus(String instance, ModelKey key, Predicate<ModelState> wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            view.catchUp(Duration.ofSeconds(30));
            Optional<ModelStatus> status = view.statuses().status(id(instance), key);
            if (status.isPresent() && wanted.test(status.get().getState())) {
                return status.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(instance + " did not report " + key + " in time; last: "
                + view.statuses().status(id(instance), key).orElse(null) + "\n" + log(instance));
    }

    /** What {@code instance} reported last for {@code key}, read now. */
    ModelState status(String instance, ModelKey key) throws Exception {
        view.catchUp(Duration.ofSeconds(30));
        return view.statuses().status(id(instance), key).map(ModelStatus::getState).orElse(null);
    }

    /** Waits until the instances are the members of the service's group (so an activation sees them). */
    void awaitMembers(java.util.Set<String> expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(kafka())) {
            while (System.nanoTime() < deadline) {
                try {
                    if (LiveInstances.of(admin, applicationId).equals(
                            expected.stream().map(this::id).collect(java.util.stream.Collectors.toSet()))) {
                        return;
                    }
                } catch (Exception groupNotThereYet) {
                    // the group appears with its first member
                }
                Thread.sleep(250);
            }
            throw new AssertionError("group members are " + LiveInstances.of(admin, applicationId) + ", not " + expected);
        }
    }

    ModelRollout activate(ModelKey key, RolloutKind kind) throws Exception {
        try (Admin admin = Admin.create(kafka())) {
            var activation = new ModelActivation(view, admin, applicationId, kafka(), stack.serdeConfig());
            return switch (kind) {
                case ROLLBACK -> activation.rollback("test rollback", "test", Duration.ofSeconds(90));
                case SHADOW -> activation.shadow(key, "test shadow", "test", Duration.ofSeconds(90));
                case SHADOW_OFF -> activation.shadowOff("test", "test");
                default -> activation.activate(key, promotion(null, true), "test: no shadow evidence", "test",
                        Duration.ofSeconds(90));
            };
        }
    }

    /** An activation for every clinic, judged by the promotion gate with the default limits on the shadow results. */
    ModelRollout promote(ModelKey key, ModelActivation.Promotion promotion, String reason) throws Exception {
        try (Admin admin = Admin.create(kafka())) {
            return new ModelActivation(view, admin, applicationId, kafka(), stack.serdeConfig())
                    .activate(key, promotion, reason, "test", Duration.ofSeconds(90));
        }
    }

    /** The gate with its default limits on the shadow results (or {@code evidenceTopic}); {@code force} overrides it. */
    ModelActivation.Promotion promotion(String evidenceTopic, boolean force) {
        java.util.Properties client = new java.util.Properties();
        client.putAll(kafka());
        var gate = new PromotionGate(client, stack.serdeConfig(), Topics.TRIAGE_RESULTS, Topics.SHADOW_RESULTS,
                PromotionGate.Limits.DEFAULT);
        return new ModelActivation.Promotion(gate, new PromotionGate.Evidence(
                evidenceTopic == null ? Topics.SHADOW_RESULTS : evidenceTopic, null, Map.of()), force);
    }

    ModelRollout canary(ModelKey key, org.lesiontriage.contracts.CanaryScope scope) throws Exception {
        try (Admin admin = Admin.create(kafka())) {
            return new ModelActivation(view, admin, applicationId, kafka(), stack.serdeConfig())
                    .canary(key, scope, "test canary", "test", Duration.ofSeconds(90));
        }
    }

    /** Sends {@code count} events from seed {@code first} on, one every {@code gap}, remembering where each landed. */
    void send(int first, int count, Duration gap) throws Exception {
        send(first, count, gap, List.of("clinic-test"));
    }

    /** As {@link #send(int, int, Duration)}, the events taking turns among {@code clinics}. */
    void send(int first, int count, Duration gap, List<String> clinics) throws Exception {
        send(first, count, gap, clinics, Duration.ZERO);
    }

    /** As above, each event stamped as produced {@code ago} (a backlog that old, as the service sees it). */
    void send(int first, int count, Duration gap, List<String> clinics, Duration ago) throws Exception {
        try (ImageEventProducer clinic = new ImageEventProducer(stack.bootstrapServers(), stack.serdeConfig())) {
            for (int i = first; i < first + count; i++) {
                LesionImageEvent event = LesionEvents.jpeg(i);
                event.setClinicId(clinics.get(i % clinics.size()));
                RecordMetadata at = clinic.send(event, System.currentTimeMillis() - ago.toMillis()).get();
                sent.put(event.getEventId().toString(), new TopicPartitionOffset(at.partition(), at.offset()));
                Thread.sleep(gap.toMillis());
            }
        }
    }

    List<TriageResult> results(String topic, int expected, Duration timeout) {
        return TopicReader.readAll(stack.bootstrapServers(), topic, TriageResult.class, stack.serdeConfig(), expected,
                timeout, Duration.ofSeconds(2));
    }

    /** Milliseconds until the service's committed offsets passed every offset of {@code rollout}. */
    long awaitSwitched(ModelRollout rollout, Duration timeout) throws Exception {
        long started = System.nanoTime();
        try (Admin admin = Admin.create(kafka())) {
            while (System.nanoTime() - started < timeout.toNanos()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata().get();
                boolean all = rollout.getOffsets().stream().allMatch(at -> {
                    OffsetAndMetadata c = committed.get(new TopicPartition(Topics.LESION_IMAGES, at.getPartition()));
                    return c != null && c.offset() >= at.getFromOffset();
                });
                if (all) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("rollout " + rollout.getRolloutId() + " not passed in time");
    }

    RolloutHistory history() throws Exception {
        view.catchUp(Duration.ofSeconds(30));
        return view.history();
    }

    /** A shadow result for exactly the events the history names a shadow for, each by that version, once. */
    void assertShadowResultsFollowTheHistory(List<TriageResult> shadow) throws Exception {
        RolloutHistory history = history();
        java.util.Set<String> expected = new java.util.HashSet<>();
        sent.forEach((eventId, at) -> {
            if (history.shadowAt(at.partition(), at.offset()) != null) {
                expected.add(eventId);
            }
        });
        assertThat(shadow).extracting(result -> result.getEventId().toString()).as("one shadow result per shadowed event")
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        for (TriageResult result : shadow) {
            TopicPartitionOffset at = sent.get(result.getEventId().toString());
            assertThat(result.getModel().getVersion()).isEqualTo(history.shadowAt(at.partition(), at.offset()).version());
        }
    }

    /** Every event answered once, each by the version the rollout history names for its offset and clinic. */
    void assertEveryResultFollowsTheHistory(List<TriageResult> results) throws Exception {
        RolloutHistory history = history();
        assertThat(results).extracting(result -> result.getEventId().toString()).as("exactly one result per event")
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent.keySet());
        for (TriageResult result : results) {
            TopicPartitionOffset at = sent.get(result.getEventId().toString());
            ModelKey expected = history.versionAt(at.partition(), at.offset(), result.getClinicId());
            assertThat(result.getModel().getVersion()).as("version of %s at %s", result.getEventId(), at)
                    .isEqualTo(expected.version());
        }
    }

    @Override
    public void close() {
        instances.values().forEach(Process::destroyForcibly);
        view.close();
    }
}
