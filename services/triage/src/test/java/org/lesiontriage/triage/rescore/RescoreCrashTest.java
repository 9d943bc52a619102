package org.lesiontriage.triage.rescore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.common.compare.ResultsTopicReader;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.PathingJar;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.triage.testing.TriageStackExtension;

/**
 * bin/rescore killed with SIGKILL mid-way (some results committed, some images waiting for a batch) and started
 * again with the same job id: every event of the range ends up in the output exactly once.
 */
@Tag("integration")
class RescoreCrashTest {

    private static final String SOURCE = "crash-images";
    private static final String OUTPUT = "rescored-crash";
    private static final int EVENTS = 30;

    @RegisterExtension
    static final TriageStackExtension STACK = new TriageStackExtension();

    @BeforeAll
    static void createTopics() {
        // One partition: one batcher, so "batches of 8, never by time" leaves exactly 30 - 24 = 6 waiting.
        STACK.get().broker().createTopics(Map.of(SOURCE, 1));
    }

    @Test
    void aJobKilledMidwayAndStartedAgainAnswersEveryEventExactlyOnce(@TempDir Path work) throws Exception {
        Set<String> sent = new HashSet<>();
        try (ImageEventProducer clinic = new ImageEventProducer(STACK.get().bootstrapServers(), STACK.get().serdeConfig(), SOURCE)) {
            for (int i = 0; i < EVENTS; i++) {
                LesionImageEvent event = LesionEvents.jpeg(i);
                sent.add(event.getEventId().toString());
                clinic.send(event);
            }
        }
        Path jobs = work.resolve("jobs");
        Process killed = startCommand(work, jobs);
        try {
            awaitMidway(killed, work.resolve("rescore.log"));
        } finally {
            killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(reader().read(OUTPUT, Duration.ofSeconds(30)).byEventId())
                .as("the killed run committed three full batches and left six images waiting").hasSize(24);

        var request = new RescoreRequest("crash", SOURCE, new RangeBound.Earliest(), new RangeBound.Latest(),
                TestModel.dir(), OUTPUT, null);
        RescoreStatus restarted = new RescoreJob(request, RescoreJobTest.settings(STACK.get(), jobs)).run();

        assertThat(restarted.state()).as(String.valueOf(restarted.message())).isEqualTo(RescoreState.COMPLETED);
        assertThat(restarted.report().resumed()).isTrue();
        assertThat(restarted.report().resultsThisRun()).isEqualTo(EVENTS - 24);
        var output = reader().read(OUTPUT, Duration.ofSeconds(30));
        assertThat(output.duplicates()).isZero();
        assertThat(output.byEventId().keySet()).containsExactlyInAnyOrderElementsOf(sent);
    }

    /** bin/rescore's main class in its own JVM; batches run only when full, so images wait at the kill. */
    private static Process startCommand(Path work, Path jobs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path classPath = PathingJar.create(Files.createDirectories(work.resolve("cp")), System.getProperty("java.class.path"));
        // A killed member holds its partitions until its session times out: keep that short.
        Path clientConfig = Files.writeString(work.resolve("client.properties"),
                "consumer.session.timeout.ms=6000\nconsumer.heartbeat.interval.ms=1000\n");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xss8m", "-cp", classPath.toString(),
                RescoreCommand.class.getName(), "--job", "crash", "--model", TestModel.dir().toString(),
                "--source", SOURCE, "--output", OUTPUT, "--work-dir", jobs.toString(), "--threads", "1",
                "--batch-size", "8", "--max-delay-ms", "3600000", "--kafka-config", clientConfig.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("rescore.log").toFile());
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", STACK.get().bootstrapServers());
        builder.environment().put("SCHEMA_REGISTRY_URL", STACK.get().registryUrl());
        return builder.start();
    }

    /** Until all 30 input offsets are committed and 24 results visible: the job cannot finish by itself now. */
    private static void awaitMidway(Process job, Path log) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.get().bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && job.isAlive()) {
                long committed = admin.listConsumerGroupOffsets("lesion-triage-rescore-crash").partitionsToOffsetAndMetadata()
                        .get().values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
                if (committed == EVENTS && reader().read(OUTPUT, Duration.ofSeconds(10)).byEventId().size() == 24) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the job did not get half-way; its log:\n" + Files.readString(log));
    }

    private static ResultsTopicReader reader() {
        Properties client = new Properties();
        client.put("bootstrap.servers", STACK.get().bootstrapServers());
        return new ResultsTopicReader(client, STACK.get().serdeConfig());
    }
}
