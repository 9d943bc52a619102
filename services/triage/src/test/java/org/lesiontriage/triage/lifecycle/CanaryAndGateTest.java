package org.lesiontriage.triage.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lesiontriage.triage.lifecycle.ModelSwitchTest.BOTH;
import static org.lesiontriage.triage.lifecycle.ModelSwitchTest.READY;
import static org.lesiontriage.triage.lifecycle.ModelSwitchTest.start;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.contracts.CanaryScope;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.ModelState;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.testing.ModelVariants;
import org.lesiontriage.triage.testing.TriageStackExtension;

/**
 * Canary by clinic and the promotion gate against a real broker and registry, two service instances (JVMs of their
 * own) under exactly-once: a canary serves its clinic, and only it, with exactly one result per event across a
 * SIGKILL; the shadow scores nothing behind its lag bound; the gate refuses a candidate that sends URGENT cases to ROUTINE (the served model with its threshold
 * raised), on its shadow results and on a replay's, refuses to be forced without a reason, records a forced promotion, and passes an equivalent candidate.
 */
@Tag("integration")
class CanaryAndGateTest {

    @RegisterExtension
    static final TriageStackExtension STACK = new TriageStackExtension();

    static final List<String> CLINICS = List.of("clinic-north", "clinic-south", "clinic-east");
    static final ModelKey RAISED = new ModelKey("triagenet", "2.0.0-raised");
    static final ModelKey SAME = new ModelKey("triagenet", "2.0.0-same");

    @Test
    void aCanaryServesItsClinicOnlyAcrossAKillAndTheGateStopsACandidateThatFlipsUrgentCases(@TempDir Path state)
            throws Exception {
        try (LifecycleCluster cluster = new LifecycleCluster(STACK.get(), "canary-test", state)) {
            BOTH.forEach(instance -> start(cluster, instance));
            cluster.publish(ReleaseBundle.fromFolder(LifecycleCluster.SERVED, "test", null));
            cluster.publish(ReleaseBundle.fromFolder(LifecycleCluster.INT8, "test", null));
            cluster.publish(variant(state, RAISED, 0.999));
            cluster.publish(variant(state, SAME, null));
            for (String instance : BOTH) {
                for (ModelKey key : List.of(LifecycleCluster.V2_INT8, RAISED, SAME)) {
                    cluster.awaitStatus(instance, key, s -> s == ModelState.READY, READY);
                }
            }
            cluster.awaitMembers(BOTH, READY);

            // Canary: the int8 version for one clinic, the raised threshold in shadow for all; a kill -9 midway.
            cluster.activate(RAISED, RolloutKind.SHADOW);
            ModelRollout canary = cluster.canary(LifecycleCluster.V2_INT8,
                    new CanaryScope(List.of("clinic-north"), 0.0));
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> send(cluster, 0, 120));
            ModelSwitchTest.awaitSent(cluster, 50);
            cluster.kill("instance-a");
            start(cluster, "instance-a");
            load.join();
            cluster.awaitSwitched(canary, Duration.ofSeconds(60));
            List<TriageResult> live = cluster.results(Topics.TRIAGE_RESULTS, 120, Duration.ofSeconds(180));
            cluster.assertEveryResultFollowsTheHistory(live);
            Map<String, Map<String, Long>> versionsByClinic = live.stream().collect(Collectors.groupingBy(
                    TriageResult::getClinicId, Collectors.groupingBy(r -> r.getModel().getVersion(), Collectors.counting())));
            assertThat(versionsByClinic.get("clinic-north")).as("the canary clinic").containsOnlyKeys("2.0.0-int8");
            assertThat(versionsByClinic.get("clinic-south")).as("not on the canary").containsOnlyKeys("2.0.0");
            assertThat(versionsByClinic.get("clinic-east")).as("not on the canary").containsOnlyKeys("2.0.0");
            assertThat(cluster.history().currentCanary().getRolloutId()).isEqualTo(canary.getRolloutId());

            // The gate: the raised threshold sends the live version's URGENT cases to ROUTINE.
            long liveUrgent = live.stream().filter(r -> r.getModel().getVersion().equals("2.0.0")
                    && r.getPriority() == TriagePriority.URGENT).count();
            assertThat(liveUrgent).as("the test needs URGENT cases to flip").isPositive();
            send(cluster, 500, 90); // steady traffic: shadow results past the restart's backlog
            awaitShadowResults(cluster, RAISED, 80);

            // Behind the lag bound (events stamped an hour old) the shadow is skipped: live results, no shadow ones.
            java.util.Set<String> before = java.util.Set.copyOf(cluster.sent.keySet());
            cluster.send(700, 12, Duration.ofMillis(40), CLINICS, Duration.ofHours(1));
            java.util.Set<String> late = new java.util.HashSet<>(cluster.sent.keySet());
            late.removeAll(before);
            assertThat(cluster.results(Topics.TRIAGE_RESULTS, cluster.sent.size(), Duration.ofSeconds(120)))
                    .extracting(r -> r.getEventId().toString()).containsAll(late);
            assertThat(cluster.results(Topics.SHADOW_RESULTS, 1, Duration.ofSeconds(30)))
                    .extracting(r -> r.getEventId().toString()).as("no shadow result behind the lag bound")
                    .doesNotContainAnyElementsOf(late);
            var refused = org.assertj.core.api.Assertions.catchThrowableOfType(ActivationRefusedException.class,
                    () -> cluster.promote(RAISED, cluster.promotion(null, false), null));
            assertThat(refused).as("the gate refuses the raised threshold").isNotNull();
            assertThat(refused.getMessage()).contains("refused: URGENT -> ROUTINE");
            assertThatThrownBy(() -> cluster.promote(RAISED, cluster.promotion(null, true), null))
                    .isInstanceOf(ActivationRefusedException.class).hasMessageContaining("needs a reason");
            // The same judgement on a replay's results instead of the shadow's.
            String replay = replayWith(state, RAISED);
            assertThatThrownBy(() -> cluster.promote(RAISED, cluster.promotion(replay, false), null))
                    .isInstanceOf(ActivationRefusedException.class).hasMessageContaining("refused: URGENT -> ROUTINE")
                    .hasMessageContaining(replay);
            assertThat(cluster.history().current()).as("nothing written by a refusal").isEqualTo(LifecycleCluster.V2);

            // An equivalent candidate passes on its own shadow evidence, ends the canary and is recorded as passed.
            cluster.activate(SAME, RolloutKind.SHADOW);
            send(cluster, 1000, 90);
            awaitShadowResults(cluster, SAME, 60);
            ModelRollout promoted = cluster.promote(SAME, cluster.promotion(null, false), "equivalent");
            assertThat(promoted.getGate().getPassed()).as(promoted.getGate().getFindings()).isTrue();
            assertThat(promoted.getGate().getForced()).isFalse();
            assertThat(promoted.getGate().getUrgentToRoutine()).isZero();
            assertThat(promoted.getGate().getCompared()).isGreaterThanOrEqualTo(PromotionGate.Limits.DEFAULT.minCompared());
            assertThat(cluster.history().currentCanary()).as("a promotion ends the canary").isNull();

            // A forced promotion of the flipping candidate goes through and says so in the record.
            ModelRollout forced = cluster.promote(RAISED, cluster.promotion(null, true), "test: recorded override");
            assertThat(forced.getGate().getPassed()).isFalse();
            assertThat(forced.getGate().getForced()).isTrue();
            assertThat(forced.getReason()).isEqualTo("test: recorded override");
            System.out.printf("canary: results by clinic and version %s; gate refused: %s; equivalent: %s%n",
                    versionsByClinic, refused.getMessage(), promoted.getGate().getFindings());
        }
    }

    /** The served model under another version, with the same weights; a threshold when one is given. */
    private static ModelRelease variant(Path state, ModelKey key, Double threshold) throws Exception {
        Map<String, String> metadata = threshold == null ? Map.of("model_version", key.version())
                : Map.of("model_version", key.version(), "threshold", Double.toString(threshold));
        Path dir = ModelVariants.withMetadata(LifecycleCluster.SERVED, state.resolve("variants").resolve(key.version()),
                metadata);
        ModelRelease release = ModelSwitchTest.release(dir, key.version(), 1);
        if (threshold != null) {
            release.setThreshold(threshold);
        }
        return release;
    }

    /** Re-scores the whole input with the variant {@code key} (bin/rescore --model); returns its results topic. */
    private static String replayWith(Path state, ModelKey key) {
        var settings = org.lesiontriage.triage.rescore.RescoreTestSettings.of(STACK.get(), state.resolve("rescore"));
        var request = new org.lesiontriage.triage.rescore.RescoreRequest("gate-" + key.version(), Topics.LESION_IMAGES,
                new org.lesiontriage.triage.rescore.RangeBound.Earliest(),
                new org.lesiontriage.triage.rescore.RangeBound.Latest(),
                state.resolve("variants").resolve(key.version()), null, null);
        var status = new org.lesiontriage.triage.rescore.RescoreJob(request, settings).run();
        assertThat(status.state()).as(status.message()).isEqualTo(org.lesiontriage.triage.rescore.RescoreState.COMPLETED);
        return request.resultsTopic();
    }

    /** Waits until the shadow topic holds {@code count} results of {@code key} (the gate judges what is there). */
    private static void awaitShadowResults(LifecycleCluster cluster, ModelKey key, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long found = 0;
        while (System.nanoTime() < deadline) {
            found = cluster.results(Topics.SHADOW_RESULTS, 1, Duration.ofSeconds(30)).stream()
                    .filter(r -> r.getModel().getVersion().equals(key.version())).count();
            if (found >= count) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(found + " shadow results of " + key + ", " + count + " expected");
    }

    private static void send(LifecycleCluster cluster, int first, int count) {
        try {
            cluster.send(first, count, Duration.ofMillis(40), CLINICS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
