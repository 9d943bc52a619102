package org.lesiontriage.triage.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TopologyHarness;
import org.lesiontriage.triage.testing.TriageStackExtension;
import org.lesiontriage.triage.testing.TriageWorker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images that wait in a batch survive a hard kill: a worker JVM reads and commits them into its pending store,
 * is killed with SIGKILL before it answers, and the restarted topology answers each exactly once.
 */
@Tag("integration")
class CrashRecoveryTest {

    private static final String APP_ID = "crash-recovery-test";

    @RegisterExtension
    static final TriageStackExtension STACK = new TriageStackExtension();

    @Test
    void imagesWaitingInABatchWhenTheServiceIsKilledGetExactlyOneResultAfterRestart(@TempDir Path state) throws Exception {
        Set<String> sent = new HashSet<>();
        Process worker = startWorker(state.resolve("killed"));
        try (ImageEventProducer clinic = new ImageEventProducer(STACK.get().bootstrapServers(), STACK.get().serdeConfig())) {
            for (int i = 0; i < 10; i++) {
                LesionImageEvent event = LesionEvents.jpeg(i);
                sent.add(event.getEventId().toString());
                clinic.send(event);
            }
        }
        awaitCommittedOffsets(10, Duration.ofSeconds(60), state.resolve("killed").resolve("worker.log"));
        worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(TopicReader.readAll(STACK.get().bootstrapServers(), Topics.TRIAGE_RESULTS, TriageResult.class,
                STACK.get().serdeConfig(), 0, Duration.ofSeconds(1), Duration.ZERO))
                .as("the killed worker answered nothing: all 10 were waiting for a batch that never filled").isEmpty();

        var components = TopologyHarness.components(STACK.get().serdeConfig(), TopologyHarness.policy(64, 50),
                ImageLimits.defaults(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        try (KafkaStreams restarted = new KafkaStreams(TopologyHarness.topology(components, STACK.get().serdeConfig()),
                TriageWorker.streamsConfig(STACK.get().bootstrapServers(), APP_ID, state.resolve("restarted")))) {
            restarted.start();
            try (ImageEventProducer clinic = new ImageEventProducer(STACK.get().bootstrapServers(), STACK.get().serdeConfig())) {
                for (int i = 10; i < 15; i++) {
                    LesionImageEvent event = LesionEvents.jpeg(i);
                    sent.add(event.getEventId().toString());
                    clinic.send(event);
                }
            }
            List<TriageResult> results = TopicReader.readAll(STACK.get().bootstrapServers(), Topics.TRIAGE_RESULTS,
                    TriageResult.class, STACK.get().serdeConfig(), 15, Duration.ofSeconds(90), Duration.ofSeconds(2));
            List<DeadLetter> letters = TopicReader.readAll(STACK.get().bootstrapServers(), Topics.TRIAGE_FAILURES,
                    DeadLetter.class, STACK.get().serdeConfig(), 0, Duration.ofSeconds(1), Duration.ZERO);

            assertThat(letters).isEmpty();
            assertThat(results).extracting(r -> r.getEventId().toString()).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    private static Process startWorker(Path stateDir) throws Exception {
        return TriageWorker.start(STACK.get(), APP_ID, stateDir, 64, 3_600_000);
    }

    private static void awaitCommittedOffsets(long expected, Duration timeout, Path workerLog) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.get().bootstrapServers()))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long committed = 0;
            while (System.nanoTime() < deadline) {
                Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(APP_ID)
                        .partitionsToOffsetAndMetadata().get();
                committed = offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
                if (committed >= expected) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("worker committed " + committed + " of " + expected + " input offsets in " + timeout
                    + "; its log:\n" + Files.readString(workerLog));
        }
    }
}
