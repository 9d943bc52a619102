package org.lesiontriage.triage.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.ModelState;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.rescore.RangeBound;
import org.lesiontriage.triage.rescore.RescoreJob;
import org.lesiontriage.triage.rescore.RescoreRequest;
import org.lesiontriage.triage.rescore.RescoreSettings;
import org.lesiontriage.triage.rescore.RescoreState;
import org.lesiontriage.triage.testing.ModelVariants;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.triage.testing.TriageStackExtension;

/**
 * The model lifecycle against a real broker and registry, with two service instances (JVMs of their own) under
 * exactly-once: a switch and a rollback under load follow the recorded offsets for every single result; corrupt
 * releases are FAILED with their reason and cannot be activated; a replay "as live" gives the live results
 * ({@link ModelSwitchKillTest}: the same rule across SIGKILLs).
 */
@Tag("integration")
class ModelSwitchTest {

    @RegisterExtension
    static final TriageStackExtension STACK = new TriageStackExtension();

    static final Set<String> BOTH = Set.of("instance-a", "instance-b");
    static final Duration READY = Duration.ofSeconds(120);

    @Test
    void aSwitchAndARollbackUnderLoadFollowTheRecordedOffsetsAndAReplayAsLiveGivesTheLiveResults(@TempDir Path state)
            throws Exception {
        try (LifecycleCluster cluster = new LifecycleCluster(STACK.get(), "switch-test", state)) {
            BOTH.forEach(instance -> start(cluster, instance));
            cluster.publish(ReleaseBundle.fromFolder(LifecycleCluster.SERVED, "test", null));
            cluster.publish(ReleaseBundle.fromFolder(LifecycleCluster.INT8, "test", null));
            Map<ModelKey, String> corrupt = publishCorruptReleases(cluster, state.resolve("variants"));
            for (String instance : BOTH) {
                cluster.awaitStatus(instance, LifecycleCluster.V2_INT8, s -> s == ModelState.READY, READY);
                for (var bad : corrupt.entrySet()) {
                    assertThat(cluster.awaitStatus(instance, bad.getKey(), s -> s == ModelState.FAILED, READY).getReason())
                            .as("%s on %s", bad.getKey(), instance).startsWith(bad.getValue());
                }
            }
            cluster.awaitMembers(BOTH, READY);
            for (ModelKey bad : corrupt.keySet()) {
                assertThatThrownBy(() -> cluster.activate(bad, RolloutKind.ACTIVATE))
                        .isInstanceOf(ActivationRefusedException.class).hasMessageContaining("FAILED");
            }

            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> send(cluster, 0, 150));
            awaitSent(cluster, 25);
            cluster.activate(LifecycleCluster.V2_INT8, RolloutKind.SHADOW); // dormant while it is live, back after
            awaitSent(cluster, 50);
            long activating = System.nanoTime();
            ModelRollout toInt8 = cluster.activate(LifecycleCluster.V2_INT8, RolloutKind.ACTIVATE);
            long activateMs = (System.nanoTime() - activating) / 1_000_000;
            long switchedMs = cluster.awaitSwitched(toInt8, Duration.ofSeconds(60));
            awaitSent(cluster, 100);
            ModelRollout back = cluster.activate(null, RolloutKind.ROLLBACK);
            long rollbackSwitchedMs = cluster.awaitSwitched(back, Duration.ofSeconds(60));
            load.join();

            List<TriageResult> live = cluster.results(Topics.TRIAGE_RESULTS, 150, Duration.ofSeconds(120));
            cluster.assertEveryResultFollowsTheHistory(live);
            List<TriageResult> shadow = cluster.results(Topics.SHADOW_RESULTS, 1, Duration.ofSeconds(30));
            cluster.assertShadowResultsFollowTheHistory(shadow);
            assertThat(shadow).isNotEmpty();
            Map<String, Long> byVersion = live.stream().collect(Collectors.groupingBy(
                    r -> r.getModel().getVersion(), Collectors.counting()));
            assertThat(back.getKind()).isEqualTo(RolloutKind.ROLLBACK);
            assertThat(back.getVersion()).isEqualTo("2.0.0");
            assertThat(byVersion).as("2.0.0, then 2.0.0-int8, then 2.0.0 again").containsOnlyKeys("2.0.0", "2.0.0-int8");
            System.out.printf("switch under load: activate %d ms, every partition past its offset %d ms after; "
                    + "rollback past its offsets %d ms after; results by version %s; shadow results %d; waits: %s%n",
                    activateMs, switchedMs, rollbackSwitchedMs, byVersion, shadow.size(), waits(cluster));

            Map<String, TriageResult> replayed = replayAsLive(state.resolve("rescore"));
            assertThat(replayed.keySet()).containsExactlyInAnyOrderElementsOf(cluster.sent.keySet());
            for (TriageResult result : live) {
                TriageResult again = replayed.get(result.getEventId().toString());
                assertThat(again.getModel()).as("model of %s", result.getEventId()).isEqualTo(result.getModel());
                assertThat(again.getPriority()).isEqualTo(result.getPriority());
                assertThat(again.getMelanomaProbability()).isCloseTo(result.getMelanomaProbability(),
                        org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    /** Three releases no instance may serve, and the start of the reason each must be refused with. */
    private static Map<ModelKey, String> publishCorruptReleases(LifecycleCluster cluster, Path variants) throws Exception {
        Map<ModelKey, String> reasons = new HashMap<>();
        ModelRelease tampered = ReleaseBundle.fromFolder(LifecycleCluster.INT8, "test", null);
        byte[] bytes = Files.readAllBytes(LifecycleCluster.INT8.resolve("model.onnx"));
        bytes[bytes.length / 2] ^= 1;
        tampered.setVersion("2.0.1-tampered");
        tampered.setOnnx(ByteBuffer.wrap(bytes));
        reasons.put(ModelKey.of(tampered), "sha256 mismatch");

        Path badGoldenDir = ModelVariants.withMetadata(LifecycleCluster.INT8, variants.resolve("golden"),
                Map.of("model_version", "2.0.2-bad-golden"));
        ModelRelease badGolden = release(badGoldenDir, "2.0.2-bad-golden", 1);
        badGolden.setGolden(ReleaseBundle.fromFolder(LifecycleCluster.SERVED, "test", null).getGolden());
        badGolden.setGoldenTolerance(1e-4);
        reasons.put(ModelKey.of(badGolden), "golden image");

        ObjectNode contract = (ObjectNode) new ObjectMapper().readTree(
                TestModel.classifier().descriptor().metadata().get("preprocessing"));
        contract.put("contract_version", 99);
        Path contractDir = ModelVariants.withMetadata(LifecycleCluster.SERVED, variants.resolve("contract"),
                Map.of("model_version", "2.0.3-contract-99", "preprocessing", contract.toString()));
        ModelRelease newContract = release(contractDir, "2.0.3-contract-99", 99);
        reasons.put(ModelKey.of(newContract), "needs preprocessing contract version 99");

        for (ModelRelease release : List.of(tampered, badGolden, newContract)) {
            cluster.publish(release);
        }
        return reasons;
    }

    /** The served model's release with the bytes of a variant of it (new metadata) under another version. */
    static ModelRelease release(Path variantDir, String version, int contract) throws Exception {
        ModelRelease release = ReleaseBundle.fromFolder(LifecycleCluster.SERVED, "test", null);
        byte[] onnx = Files.readAllBytes(variantDir.resolve("model.onnx"));
        release.setVersion(version);
        release.setOnnx(ByteBuffer.wrap(onnx));
        release.setSha256(org.lesiontriage.contracts.Sha256.hex(onnx));
        release.setContractVersion(contract);
        return release;
    }

    private Map<String, TriageResult> replayAsLive(Path workDir) {
        RescoreSettings settings = org.lesiontriage.triage.rescore.RescoreTestSettings.of(STACK.get(), workDir);
        var request = new RescoreRequest("as-live", Topics.LESION_IMAGES, new RangeBound.Earliest(),
                new RangeBound.Latest(), TestModel.dir(), null, null, true);
        var status = new RescoreJob(request, settings).run();
        assertThat(status.state()).as(status.message()).isEqualTo(RescoreState.COMPLETED);
        return org.lesiontriage.triage.testing.TopicReader.readAll(STACK.get().bootstrapServers(), request.resultsTopic(),
                        TriageResult.class, STACK.get().serdeConfig(), 150, Duration.ofSeconds(60), Duration.ofSeconds(1))
                .stream().collect(Collectors.toMap(r -> r.getEventId().toString(), r -> r));
    }

    private static String waits(LifecycleCluster cluster) {
        StringBuilder waits = new StringBuilder();
        for (String instance : BOTH) {
            try {
                cluster.log(instance).lines().filter(line -> line.contains("waited")).forEach(line ->
                        waits.append(instance).append(": ").append(line.trim()).append("; "));
            } catch (Exception e) {
                waits.append(instance).append(": no log; ");
            }
        }
        return waits.length() == 0 ? "none" : waits.toString();
    }

    static void start(LifecycleCluster cluster, String instance) {
        try {
            cluster.start(instance);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void send(LifecycleCluster cluster, int first, int count) {
        try {
            cluster.send(first, count, Duration.ofMillis(40));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void awaitSent(LifecycleCluster cluster, int count) throws InterruptedException {
        while (cluster.sent.size() < count) {
            Thread.sleep(20);
        }
    }
}
