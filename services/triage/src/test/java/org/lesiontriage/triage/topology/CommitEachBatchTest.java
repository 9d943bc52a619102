package org.lesiontriage.triage.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.failures.InMemoryAttemptLedger;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TriageStackExtension;

/**
 * Under exactly-once a result is visible to read_committed readers only once its transaction commits. With the
 * commit interval set to a minute, results still arrive at once because each batch commits them; with that switched
 * off they wait for the interval (as every result used to wait up to 100 ms).
 */
@Tag("integration")
class CommitEachBatchTest {

    @RegisterExtension
    static final TriageStackExtension STACK = new TriageStackExtension();

    @Test
    void eachBatchCommitsItsResultsWithoutWaitingForTheCommitInterval(@TempDir Path state) throws Exception {
        List<LesionImageEvent> sent = List.of(LesionEvents.jpeg(1), LesionEvents.jpeg(2), LesionEvents.jpeg(3));
        Visible results = triage("each-batch", true, sent, state, Duration.ofSeconds(8));
        assertThat(results.whileRunning()).as("visible within 8 s of a 60 s interval").extracting(TriageResult::getEventId)
                .containsExactlyInAnyOrderElementsOf(sent.stream().map(LesionImageEvent::getEventId).toList());
    }

    @Test
    void withoutItResultsWaitForTheCommitInterval(@TempDir Path state) throws Exception {
        LesionImageEvent event = LesionEvents.jpeg(4);
        Visible results = triage("interval-only", false, List.of(event), state, Duration.ofSeconds(4));
        assertThat(results.whileRunning()).as("nothing committed within 4 s of a 60 s interval").isEmpty();
        assertThat(results.afterClose()).as("scored all along: closing commits it")
                .extracting(TriageResult::getEventId).containsExactly(event.getEventId());
    }

    /** Results read_committed readers saw while the stream ran (within the timeout after sending), and after it closed. */
    private record Visible(List<TriageResult> whileRunning, List<TriageResult> afterClose) {
    }

    private static Visible triage(String name, boolean commitEachBatch, List<LesionImageEvent> events, Path state,
                                  Duration timeout) throws Exception {
        String images = name + "-images";
        String results = name + "-results";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", STACK.get().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(images, 1, (short) 1), new NewTopic(results, 1, (short) 1),
                    new NewTopic(name + "-failures", 1, (short) 1))).all().get();
        }
        PipelineAssembly pipeline = STACK.get().pipeline(Map.of(
                "triage.topics.images", images, "triage.topics.results", results,
                "triage.topics.failures", name + "-failures",
                "triage.batch.max-size", "4", "triage.batch.max-delay", "20ms",
                "triage.batch.commit-each-batch", String.valueOf(commitEachBatch),
                "kafka-streams.commit.interval.ms", "60000",
                // Kafka Streams refuses a commit interval longer than the transaction timeout (10 s by default)
                "kafka-streams.producer.transaction.timeout.ms", "120000"));
        TriageComponents components = pipeline.components(TestModel.classifier(), new SimpleMeterRegistry(),
                new InMemoryAttemptLedger());
        List<TriageResult> whileRunning;
        try (KafkaStreams streams = new KafkaStreams(pipeline.topology(components),
                pipeline.streamsProperties(name + "-test", state))) {
            streams.start();
            awaitRunning(streams);
            try (ImageEventProducer clinic = new ImageEventProducer(STACK.get().bootstrapServers(),
                    STACK.get().serdeConfig(), images)) {
                for (LesionImageEvent event : events) {
                    clinic.send(event);
                }
            }
            whileRunning = read(results, events.size(), timeout);
        }
        return new Visible(whileRunning, read(results, events.size(), Duration.ofSeconds(30)));
    }

    /** The interval counts from the stream thread's start: send once it runs, so the windows above are fair. */
    private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    private static List<TriageResult> read(String topic, int expected, Duration timeout) {
        return new ArrayList<>(TopicReader.readAll(STACK.get().bootstrapServers(), topic, TriageResult.class,
                STACK.get().serdeConfig(), expected, timeout, Duration.ZERO));
    }
}
