package org.lesiontriage.triage.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.testfixtures.SyntheticLesions;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.failures.InMemoryAttemptLedger;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TopologyHarness;
import org.lesiontriage.triage.testing.TriageStackExtension;

/**
 * On a broker left at its defaults (records up to 1 MiB) with only the input topic raised to the image limit, as
 * a platform team might set it up: a multi-megabyte image waiting in a batch at a commit reaches the pending-images
 * changelog (whose limit the service sets itself), and a multi-megabyte undecodable image gets a dead letter that
 * fits the dead-letter topic at its default, its original left out but identified by size and SHA-256.
 */
@Tag("integration")
class DefaultBrokerSizesTest {

    private static final String IMAGES = "default-sizes-images";
    private static final String RESULTS = "default-sizes-results";
    private static final String FAILURES = "default-sizes-failures";

    @RegisterExtension
    static final TriageStackExtension STACK = new TriageStackExtension();

    @Test
    void largeImagesWaitInTheChangelogAndLargeDeadLettersFitTheDefaultLimit(@TempDir Path state) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", STACK.get().bootstrapServers()))) {
            admin.createTopics(List.of(
                    new NewTopic(IMAGES, 1, (short) 1).configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            String.valueOf(RecordLimits.MAX_IMAGE_RECORD_BYTES))),
                    new NewTopic(RESULTS, 1, (short) 1),
                    new NewTopic(FAILURES, 1, (short) 1))).all().get();
        }
        // A batch that waits 3 s: the large image is still waiting at several commits, so its bytes reach the changelog.
        PipelineAssembly pipeline = STACK.get().pipeline(Map.of(
                "triage.topics.images", IMAGES, "triage.topics.results", RESULTS, "triage.topics.failures", FAILURES,
                "triage.batch.max-size", "64", "triage.batch.max-delay", "3s"));
        TriageComponents components = pipeline.components(TestModel.classifier(), new SimpleMeterRegistry(),
                new InMemoryAttemptLedger());
        DeadLetterTopicLimit.apply(pipeline.kafkaClientConfig(), FAILURES, components.deadLetters());
        assertThat(components.deadLetters().maxOriginalBytes()).as("fitted to the topic's default 1 MiB")
                .isLessThan(1024 * 1024);

        LesionImageEvent large = LesionEvents.builder(SyntheticLesions.encode(noise(1100, 1000), "png"), "image/png").build();
        byte[] undecodable = new byte[3 * 1024 * 1024];
        new Random(3).nextBytes(undecodable);
        undecodable[0] = (byte) 0xFF;
        undecodable[1] = (byte) 0xD8;
        undecodable[2] = (byte) 0xFF;
        LesionImageEvent corrupt = LesionEvents.builder(undecodable, "image/jpeg").build();
        assertThat(large.getImage().remaining()).as("bigger than a stock broker's record").isGreaterThan(2 * 1024 * 1024);

        try (KafkaStreams streams = new KafkaStreams(pipeline.topology(components),
                pipeline.streamsProperties("default-sizes-test", state))) {
            streams.start();
            try (ImageEventProducer clinic = new ImageEventProducer(STACK.get().bootstrapServers(),
                    STACK.get().serdeConfig(), IMAGES)) {
                clinic.send(large);
                clinic.send(corrupt);
            }
            List<TriageResult> results = TopicReader.readAll(STACK.get().bootstrapServers(), RESULTS,
                    TriageResult.class, STACK.get().serdeConfig(), 1, Duration.ofSeconds(90), Duration.ofSeconds(1));
            List<DeadLetter> letters = TopicReader.readAll(STACK.get().bootstrapServers(), FAILURES,
                    DeadLetter.class, STACK.get().serdeConfig(), 1, Duration.ofSeconds(30), Duration.ofSeconds(1));

            assertThat(results).extracting(TriageResult::getEventId).containsExactly(large.getEventId());
            byte[] sent = TopologyHarness.serialize(corrupt, STACK.get().serdeConfig(), IMAGES);
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.getReasonCode()).isEqualTo("IMAGE_UNDECODABLE");
                assertThat(letter.getOriginalValueOmitted()).isTrue();
                assertThat(letter.getOriginalValue()).isNull();
                assertThat(letter.getOriginalValueSize()).isEqualTo((long) sent.length);
                assertThat(letter.getOriginalValueSha256()).isEqualTo(org.lesiontriage.contracts.Sha256.hex(sent));
                assertThat(letter.getMessage()).contains("omitted");
            });
        }
    }

    /** Incompressible pixels: a PNG of several MB. */
    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(11);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }
}
