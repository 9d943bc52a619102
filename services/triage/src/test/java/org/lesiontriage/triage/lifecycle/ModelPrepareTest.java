package org.lesiontriage.triage.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.contracts.ModelState;
import org.lesiontriage.contracts.ModelStatus;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.triage.testing.TriageStackExtension;
import org.lesiontriage.triage.topology.TriageComponents;

/**
 * One instance's part in the lifecycle on a real broker and registry, in this JVM: a release published on
 * triage-models is prepared in the background and reported READY on triage-model-status; a corrupt one FAILED with
 * its reason, while the live version stays what it was.
 */
@Tag("integration")
class ModelPrepareTest {

    @RegisterExtension
    static final TriageStackExtension STACK = new TriageStackExtension();

    @Test
    void aPublishedReleaseIsPreparedAndReportedAndACorruptOneIsFailedWithItsReason(@TempDir Path cache) throws Exception {
        Map<String, Object> kafka = Map.of("bootstrap.servers", STACK.get().bootstrapServers());
        var settings = new ModelLifecycle.Settings("prepare-test", "prepare-test-app", Topics.LESION_IMAGES, cache,
                InferenceOptions.cpu(1), ImageLimits.defaults(), 1L << 30, Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(2));
        ScoringModel bootstrap = TriageComponents.fixedModel(TestModel.classifier(), ImageLimits.defaults()).current();
        try (ModelLifecycle lifecycle = ModelLifecycle.start(settings, bootstrap, kafka, STACK.get().serdeConfig());
             LifecycleView board = new LifecycleView(Topics.LESION_IMAGES, bootstrap.key(), kafka,
                     STACK.get().serdeConfig()).start(Duration.ofSeconds(60))) {
            ReleasePublisher publisher = new ReleasePublisher(kafka, STACK.get().serdeConfig());
            ModelRelease int8 = ReleaseBundle.fromFolder(LifecycleCluster.INT8, "test", null);
            publisher.publish(int8);
            ModelRelease tampered = ReleaseBundle.fromFolder(LifecycleCluster.INT8, "test", null);
            byte[] bytes = Files.readAllBytes(LifecycleCluster.INT8.resolve("model.onnx"));
            bytes[bytes.length / 2] ^= 1;
            tampered.setVersion("2.0.1-tampered");
            tampered.setOnnx(ByteBuffer.wrap(bytes));
            publisher.publish(tampered);

            ModelStatus ready = await(board, ModelKey.of(int8), ModelState.READY);
            ModelStatus failed = await(board, ModelKey.of(tampered), ModelState.FAILED);

            assertThat(ready.getSha256()).isEqualTo(int8.getSha256());
            assertThat(failed.getReason()).startsWith("sha256 mismatch");
            assertThat(lifecycle.models().current().key()).as("publishing activates nothing").isEqualTo(bootstrap.key());
            assertThat(lifecycle.preparer().ready(ModelKey.of(int8))).isPresent();
            System.out.printf("prepare: %s READY, %d MiB resident; %s FAILED: %s%n", ModelKey.of(int8),
                    ready.getMemoryBytes() >> 20, ModelKey.of(tampered), failed.getReason());
        }
    }

    private static ModelStatus await(LifecycleView board, ModelKey key, ModelState state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            board.catchUp(Duration.ofSeconds(30));
            var status = board.statuses().status("prepare-test", key);
            if (status.isPresent() && status.get().getState() == state) {
                return status.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(key + " not " + state + ": " + board.statuses().all());
    }
}
