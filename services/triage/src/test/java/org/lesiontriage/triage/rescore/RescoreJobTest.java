package org.lesiontriage.triage.rescore;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.common.compare.ResultComparison;
import org.lesiontriage.common.compare.ResultsTopicReader;
import org.lesiontriage.common.compare.ScoredEvent;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.InputLog;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.ModelVariants;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TopologyHarness;
import org.lesiontriage.triage.testing.TriageStack;
import org.lesiontriage.triage.testing.TriageStackExtension;
import org.lesiontriage.triage.testing.TriageWorker;

/**
 * A replay of part of the image history with a second model version (the served weights with a new version and
 * threshold), beside a live service that has answered the whole history: the replay answers exactly the events of
 * its range, once, stamped with the new version; it stops at the end it captured although the topic grows; it
 * leaves the live service's group and outputs alone; and the comparison sees exactly the priorities the new
 * threshold moves.
 */
@Tag("integration")
class RescoreJobTest {

    private static final String LIVE_APP = "replay-test-live";
    private static final String VARIANT_VERSION = "1.0.0-recalibrated";
    private static final Set<Integer> POISON_AT = Set.of(5, 17);

    @RegisterExtension
    static final TriageStackExtension STACK = new TriageStackExtension();

    @Test
    void replaysExactlyItsRangeOnceWithTheNewModelAndLeavesTheLiveServiceAlone(@TempDir Path work) throws Exception {
        int history = 26;
        publish(0, history);
        Map<String, ScoredEvent> live = answerWithLiveService(work.resolve("live"), history - POISON_AT.size());
        Map<TopicPartition, OffsetAndMetadata> liveGroupBefore = groupOffsets(LIVE_APP);
        Map<TopicPartition, Long> liveOutputsBefore = endOffsets(Topics.TRIAGE_RESULTS, Topics.TRIAGE_FAILURES);
        Map<TopicPartition, Long> inputEnds = endOffsets(Topics.LESION_IMAGES);
        long end1 = inputEnds.get(new TopicPartition(Topics.LESION_IMAGES, 1));

        // The range replayed below: partition 0 from offset 2 on, partition 1 up to two before its end.
        List<Double> inRangeScores = InputLog.read(STACK.get().bootstrapServers(), Topics.LESION_IMAGES,
                        STACK.get().serdeConfig()).stream()
                .filter(e -> e.eventId() != null && (e.partition() == 0 ? e.offset() >= 2 : e.offset() < end1 - 2))
                .map(e -> live.get(e.eventId()).melanomaProbability()).toList();
        double newThreshold = thresholdThatMovesSome(inRangeScores, TestModel.classifier().descriptor().threshold());
        Path variant = ModelVariants.withMetadata(TestModel.dir(), work.resolve("variant"),
                Map.of("model_version", VARIANT_VERSION, "threshold", String.valueOf(newThreshold)));
        // Partition 0 from offset 2 to its end at the start; partition 1 from its beginning to two before its end.
        var request = new RescoreRequest("range-test", Topics.LESION_IMAGES, RangeBound.parse("0:2"),
                RangeBound.parse("1:" + (end1 - 2)), variant, "rescored-range-test", null);
        RescoreSettings settings = settings(work.resolve("jobs"));
        RescoreJob job = new RescoreJob(request, settings);
        CompletableFuture<RescoreStatus> running = CompletableFuture.supplyAsync(job::run);
        awaitFile(settings.jobDir("range-test").resolve("plan.json"));
        publish(history, 6); // after the plan: beyond the range's end on both partitions
        RescoreStatus last = running.get();

        assertThat(last.state()).as(String.valueOf(last.message())).isEqualTo(RescoreState.COMPLETED);
        RescorePlan plan = RescorePlan.load(settings.jobDir("range-test").resolve("plan.json"));
        assertThat(plan.partitions()).containsExactlyInAnyOrder(
                new RescorePlan.PartitionRange(0, 2, inputEnds.get(new TopicPartition(Topics.LESION_IMAGES, 0))),
                new RescorePlan.PartitionRange(1, 0, end1 - 2));
        List<InputLog.Entry> inRange = InputLog.read(STACK.get().bootstrapServers(), Topics.LESION_IMAGES, STACK.get().serdeConfig())
                .stream().filter(e -> plan.admits(e.partition(), e.offset())).toList();
        Set<String> goodInRange = inRange.stream().filter(e -> e.eventId() != null).map(InputLog.Entry::eventId)
                .collect(Collectors.toSet());
        // partition:offset, since both partitions can hold a poison record at the same offset
        List<String> poisonInRange = inRange.stream().filter(e -> e.eventId() == null)
                .map(e -> e.partition() + ":" + e.offset()).toList();

        // Every event in range answered once: a result per good event, a dead letter per poison record.
        var rescored = reader().read("rescored-range-test", Duration.ofSeconds(30));
        assertThat(rescored.duplicates()).isZero();
        assertThat(rescored.byEventId().keySet()).containsExactlyInAnyOrderElementsOf(goodInRange);
        assertThat(rescored.byEventId().values()).extracting(ScoredEvent::model)
                .allSatisfy(model -> assertThat(model).contains(VARIANT_VERSION));
        List<DeadLetter> letters = TopicReader.readAll(STACK.get().bootstrapServers(), "rescored-range-test-failures",
                DeadLetter.class, STACK.get().serdeConfig(), poisonInRange.size(), Duration.ofSeconds(10), Duration.ofMillis(500));
        assertThat(letters).extracting(d -> d.getSourcePartition() + ":" + d.getSourceOffset())
                .containsExactlyInAnyOrderElementsOf(poisonInRange);
        assertThat(last.report().eventsInRange()).isEqualTo(inRange.size());
        assertThat(last.report().resultsThisRun() + last.report().deadLettersThisRun()).isEqualTo(inRange.size());
        assertThat(last.report().modelVersion()).isEqualTo(VARIANT_VERSION);

        // The live service's group and outputs are untouched.
        assertThat(groupOffsets(LIVE_APP)).isEqualTo(liveGroupBefore);
        assertThat(endOffsets(Topics.TRIAGE_RESULTS, Topics.TRIAGE_FAILURES)).isEqualTo(liveOutputsBefore);

        // Same weights, new threshold: p(melanoma) stays, and exactly the events between the thresholds move.
        ResultComparison comparison = ResultComparison.of(live, rescored.byEventId(), Map.of());
        double liveThreshold = TestModel.classifier().descriptor().threshold();
        List<String> expectedMoves = live.values().stream().filter(e -> goodInRange.contains(e.eventId()))
                .filter(e -> between(e.melanomaProbability(), liveThreshold, newThreshold))
                .map(ScoredEvent::eventId).sorted().toList();
        assertThat(comparison.joined()).isEqualTo(goodInRange.size());
        assertThat(comparison.shift().maxAbsDelta()).isLessThan(1e-4);
        assertThat(newThreshold > liveThreshold ? comparison.urgentToRoutine() : comparison.routineToUrgent())
                .isEqualTo(expectedMoves).isNotEmpty();
        assertThat(newThreshold > liveThreshold ? comparison.routineToUrgent() : comparison.urgentToRoutine()).isEmpty();
        assertThat(comparison.samePriority()).isEqualTo(goodInRange.size() - expectedMoves.size());
    }

    @Test
    void aCompletedJobStartedAgainReportsWithoutReplayingAndAChangedRequestIsRefused(@TempDir Path work) throws Exception {
        publishToNewTopic("again-images", 2, 100, 4);
        RescoreSettings settings = settings(work);
        var request = new RescoreRequest("again", "again-images", new RangeBound.Earliest(), new RangeBound.Latest(),
                TestModel.dir(), "rescored-again", null);
        RescoreStatus first = new RescoreJob(request, settings).run();
        assertThat(first.state()).as(String.valueOf(first.message())).isEqualTo(RescoreState.COMPLETED);

        RescoreStatus second = new RescoreJob(request, settings).run();
        assertThat(second.state()).isEqualTo(RescoreState.COMPLETED);
        assertThat(second.report()).isEqualTo(first.report());

        assertThat(first.report().eventsInRange()).isEqualTo(4);
        var changed = new RescoreRequest("again", "again-images", RangeBound.parse("0:1"), new RangeBound.Latest(),
                TestModel.dir(), "rescored-again", null);
        RescoreStatus refused = new RescoreJob(changed, settings).run();
        assertThat(refused.state()).isEqualTo(RescoreState.FAILED);
        assertThat(refused.message()).contains("was started with another range");
    }

    @Test
    void refusesToWriteIntoTheLiveFlow(@TempDir Path work) {
        for (String live : List.of(Topics.TRIAGE_RESULTS, Topics.LESION_IMAGES, LIVE_APP + "-pending-images-changelog")) {
            var request = new RescoreRequest("into-live", "again-images", new RangeBound.Earliest(),
                    new RangeBound.Latest(), TestModel.dir(), live, null);
            RescoreStatus refused = new RescoreJob(request, settings(work)).run();
            assertThat(refused.state()).isEqualTo(RescoreState.FAILED);
            assertThat(refused.message()).startsWith("IllegalArgumentException: refusing to write a replay into")
                    .contains(live);
        }
    }

    @Test
    void aJobIdWhoseFolderWasDeletedOrWhoseOffsetsVanishedIsRefusedRatherThanReplayedTwice(@TempDir Path work)
            throws Exception {
        publishToNewTopic("reuse-images", 1, 300, 2);
        var request = new RescoreRequest("reuse", "reuse-images", new RangeBound.Earliest(), new RangeBound.Latest(),
                TestModel.dir(), "rescored-reuse", null);
        assertThat(new RescoreJob(request, settings(work.resolve("first"))).run().state()).isEqualTo(RescoreState.COMPLETED);

        RescoreStatus folderGone = new RescoreJob(request, settings(work.resolve("second"))).run();
        assertThat(folderGone.state()).isEqualTo(RescoreState.FAILED);
        assertThat(folderGone.message()).contains("has offsets from an earlier job with this id");

        Files.delete(work.resolve("first").resolve("reuse").resolve("report.json"));
        try (Admin admin = admin()) {
            admin.deleteConsumerGroups(List.of(request.applicationId())).all().get();
        }
        RescoreStatus offsetsGone = new RescoreJob(request, settings(work.resolve("first"))).run();
        assertThat(offsetsGone.state()).isEqualTo(RescoreState.FAILED);
        assertThat(offsetsGone.message()).contains("lost its committed offsets");
        assertThat(reader().read("rescored-reuse", Duration.ofSeconds(10)).byEventId()).hasSize(2);
    }

    @Test
    void eventsDeletedByRetentionBeforeTheReplayReachedThemAreReportedAndDoNotStallIt(@TempDir Path work) throws Exception {
        publishToNewTopic("retained-images", 1, 400, 6);
        var request = new RescoreRequest("retained", "retained-images", new RangeBound.Earliest(), new RangeBound.Latest(),
                TestModel.dir(), "rescored-retained", null);
        RescoreSettings settings = settings(work);
        // The job was planned while all six were there; retention then deleted the first three.
        Files.createDirectories(settings.jobDir("retained"));
        new RescorePlan("retained", "retained-images", "earliest", "latest", TestModel.dir().toAbsolutePath().normalize()
                .toString(), "rescored-retained", "rescored-retained-failures", Instant.now(),
                List.of(new RescorePlan.PartitionRange(0, 0, 6)), false).save(settings.jobDir("retained").resolve("plan.json"));
        try (Admin admin = admin()) {
            admin.deleteRecords(Map.of(new TopicPartition("retained-images", 0),
                    RecordsToDelete.beforeOffset(3))).all().get();
        }

        RescoreStatus done = new RescoreJob(request, settings).run();

        assertThat(done.state()).as(String.valueOf(done.message())).isEqualTo(RescoreState.COMPLETED);
        assertThat(done.report().eventsInRange()).isEqualTo(6);
        assertThat(done.report().lostToRetention()).isEqualTo(3);
        assertThat(done.report().resultsThisRun()).isEqualTo(3);
        assertThat(reader().read("rescored-retained", Duration.ofSeconds(10)).byEventId()).hasSize(3);
    }

    private static boolean between(double p, double a, double b) {
        return p >= Math.min(a, b) && p < Math.max(a, b);
    }

    private static RescoreSettings settings(Path workDir) {
        return settings(STACK.get(), workDir);
    }

    /** Batches of 8 from one model thread: several batches even for a few dozen events. */
    static RescoreSettings settings(TriageStack on, Path workDir) {
        PipelineAssembly pipeline = on.pipeline(Map.of("triage.batch.max-size", "8", "triage.batch.max-delay", "10ms",
                "triage.model.device", "cpu", "triage.model.intra-op-threads", "1"));
        return new RescoreSettings(pipeline, workDir,
                Set.of(Topics.LESION_IMAGES, Topics.TRIAGE_RESULTS, Topics.TRIAGE_FAILURES), LIVE_APP);
    }

    /** A topic of its own for one test, with {@code count} good events drawn from seed {@code firstSeed} on. */
    private static void publishToNewTopic(String topic, int partitions, int firstSeed, int count) {
        STACK.get().broker().createTopics(Map.of(topic, partitions));
        try (ImageEventProducer clinic = new ImageEventProducer(STACK.get().bootstrapServers(), STACK.get().serdeConfig(), topic)) {
            for (int i = firstSeed; i < firstSeed + count; i++) {
                clinic.send(LesionEvents.jpeg(i));
            }
        }
    }

    private static void publish(int first, int count) {
        try (ImageEventProducer clinic = new ImageEventProducer(STACK.get().bootstrapServers(), STACK.get().serdeConfig())) {
            for (int i = first; i < first + count; i++) {
                if (POISON_AT.contains(i)) {
                    clinic.sendRaw("case-" + i, ("not an event " + i).getBytes(StandardCharsets.UTF_8));
                } else {
                    clinic.send(LesionEvents.jpeg(i));
                }
            }
        }
    }

    /** Runs the live topology until it has answered the history, then stops it: its group offsets stay. */
    private static Map<String, ScoredEvent> answerWithLiveService(Path state, int goodEvents) {
        var components = TopologyHarness.components(STACK.get().serdeConfig(), TopologyHarness.policy(8, 20),
                ImageLimits.defaults(), new SimpleMeterRegistry());
        try (KafkaStreams liveService = new KafkaStreams(TopologyHarness.topology(components, STACK.get().serdeConfig()),
                TriageWorker.streamsConfig(STACK.get().bootstrapServers(), LIVE_APP, state))) {
            liveService.start();
            TopicReader.readAll(STACK.get().bootstrapServers(), Topics.TRIAGE_RESULTS, TriageResult.class, STACK.get().serdeConfig(),
                    goodEvents, Duration.ofSeconds(90), Duration.ofMillis(500));
        }
        var snapshot = reader().read(Topics.TRIAGE_RESULTS, Duration.ofSeconds(30));
        assertThat(snapshot.byEventId()).hasSize(goodEvents);
        return snapshot.byEventId();
    }

    private static ResultsTopicReader reader() {
        Properties client = new Properties();
        client.put("bootstrap.servers", STACK.get().bootstrapServers());
        return new ResultsTopicReader(client, STACK.get().serdeConfig());
    }

    private static Map<TopicPartition, OffsetAndMetadata> groupOffsets(String group) throws Exception {
        try (Admin admin = admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        }
    }

    private static Map<TopicPartition, Long> endOffsets(String... topics) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var description : admin.describeTopics(List.of(topics)).allTopicNames().get().values()) {
                description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.get().bootstrapServers()));
    }

    /** Half-way between the two middle values, so no event sits on the threshold itself. */
    /**
     * A threshold between two of the live p(melanoma) values, as near their median as possible, with at least one
     * value between it and the live threshold: whatever the served model thinks of the synthetic images, some
     * events change priority and some do not.
     */
    private static double thresholdThatMovesSome(List<Double> values, double liveThreshold) {
        List<Double> sorted = values.stream().distinct().sorted().toList();
        int middle = sorted.size() / 2;
        for (int offset = 0; offset < sorted.size(); offset++) {
            for (int i : new int[] {middle - offset, middle + offset}) {
                if (i < 1 || i >= sorted.size()) {
                    continue;
                }
                double candidate = (sorted.get(i - 1) + sorted.get(i)) / 2;
                if (sorted.stream().anyMatch(p -> between(p, liveThreshold, candidate))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("the live results need at least two distinct p(melanoma) values: " + sorted);
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(file).exists();
    }
}
