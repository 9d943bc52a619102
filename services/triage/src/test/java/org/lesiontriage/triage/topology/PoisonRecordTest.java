package org.lesiontriage.triage.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TopologyHarness;
import org.lesiontriage.triage.testing.TriageStackExtension;
import org.lesiontriage.triage.testing.TriageWorker;

/**
 * A record that kills whatever processes it costs one dead letter, not a partition. The poison here is real: a
 * 40-megapixel PNG, within the pixel guard, that a worker with a 128 MiB heap cannot decode (OutOfMemoryError).
 * Once it kills the stream thread (which is replaced), once the whole process (-XX:+ExitOnOutOfMemoryError,
 * restarted by the test as a crash-looping pod would be). Either way the worker moves past it after
 * {@code triage.poison.max-attempts}: every good event gets exactly one result, the poison one
 * {@code REPEATED_FAILURE} dead letter with its original bytes.
 */
@Tag("integration")
class PoisonRecordTest {

    private static final String SMALL_HEAP = "-Xmx128m";
    private static final int GOOD_EVENTS = 12;

    @RegisterExtension
    static final TriageStackExtension STACK = new TriageStackExtension();

    @Test
    void aRecordThatKillsTheStreamThreadIsSetAsideAfterItsAttempts(@TempDir Path state) throws Exception {
        Sent sent = publish("thread", 0);
        Process worker = TriageWorker.start(STACK.get(), "poison-thread-test", state, 4, 50, SMALL_HEAP);
        try {
            assertOneOutcomeEach(sent, state);
            assertThat(worker.isAlive()).as("the worker survived: only its stream thread died, and was replaced").isTrue();
            assertThat(Files.readString(state.resolve("worker.log"))).contains("OutOfMemoryError");
        } finally {
            worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRecordThatKillsTheProcessIsSetAsideAcrossRestarts(@TempDir Path state) throws Exception {
        Sent sent = publish("process", 100);
        List<Integer> exitCodes = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        Process worker = null;
        try {
            while (System.nanoTime() < deadline && !answered(sent)) {
                if (worker == null || !worker.isAlive()) {
                    if (worker != null) {
                        exitCodes.add(worker.exitValue());
                    }
                    assertThat(exitCodes).as("restarts of the crash-looping worker").hasSizeLessThanOrEqualTo(8);
                    worker = TriageWorker.start(STACK.get(), "poison-process-test", state, 4, 50, SMALL_HEAP,
                            "-XX:+ExitOnOutOfMemoryError");
                }
                Thread.sleep(500);
            }
            assertOneOutcomeEach(sent, state);
            assertThat(exitCodes).as("the process died on the poison record, and was started again").isNotEmpty()
                    .allMatch(code -> code != 0);
        } finally {
            if (worker != null) {
                worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** What was published: the good events' ids and the poison record's bytes. */
    private record Sent(String clinic, Set<String> goodIds, byte[] poisonValue) {
    }

    private static Sent publish(String clinic, int seed) throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(6_300, 6_300, BufferedImage.TYPE_INT_RGB), "png", bomb);
        LesionImageEvent poison = LesionEvents.builder(bomb.toByteArray(), "image/png").setClinicId(clinic)
                .setCaseRef(clinic + "-poison").build();
        Set<String> good = new HashSet<>();
        try (ImageEventProducer producer = new ImageEventProducer(STACK.get().bootstrapServers(), STACK.get().serdeConfig())) {
            for (int i = 0; i < GOOD_EVENTS; i++) {
                if (i == GOOD_EVENTS / 2) {
                    producer.send(poison);
                }
                LesionImageEvent event = LesionImageEvent.newBuilder(LesionEvents.jpeg(seed + i)).setClinicId(clinic).build();
                good.add(event.getEventId().toString());
                producer.send(event);
            }
        }
        return new Sent(clinic, good, TopologyHarness.serialize(poison, STACK.get().serdeConfig()));
    }

    private static boolean answered(Sent sent) {
        return results(sent).size() >= sent.goodIds().size() && !letters(sent).isEmpty();
    }

    private static void assertOneOutcomeEach(Sent sent, Path state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!answered(sent) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        Thread.sleep(2_000); // anything extra (a duplicate) would show up now
        String log = "worker log:\n" + tail(Files.readString(state.resolve("worker.log")));
        assertThat(results(sent)).as(log).extracting(r -> r.getEventId().toString()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(sent.goodIds());
        assertThat(letters(sent)).as(log).singleElement().satisfies(letter -> {
            assertThat(letter.getReasonCode()).isEqualTo(ReasonCode.REPEATED_FAILURE.name());
            assertThat(letter.getMessage()).contains("3 times");
        });
    }

    /** This test's results: the other test of the class shares the topics, with its own clinic. */
    private static List<TriageResult> results(Sent sent) {
        return TopicReader.readAll(STACK.get().bootstrapServers(), Topics.TRIAGE_RESULTS, TriageResult.class,
                STACK.get().serdeConfig(), Integer.MAX_VALUE, Duration.ofSeconds(3), Duration.ZERO).stream()
                .filter(r -> r.getClinicId().equals(sent.clinic())).toList();
    }

    /** Dead letters carrying this test's poison record, byte for byte. */
    private static List<DeadLetter> letters(Sent sent) {
        return TopicReader.readAll(STACK.get().bootstrapServers(), Topics.TRIAGE_FAILURES, DeadLetter.class,
                STACK.get().serdeConfig(), Integer.MAX_VALUE, Duration.ofSeconds(3), Duration.ZERO).stream()
                .filter(letter -> ByteBuffer.wrap(sent.poisonValue()).equals(letter.getOriginalValue())).toList();
    }

    private static String tail(String log) {
        return log.length() <= 6000 ? log : log.substring(log.length() - 6000);
    }
}
