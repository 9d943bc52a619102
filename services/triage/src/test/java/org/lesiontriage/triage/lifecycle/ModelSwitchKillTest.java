package org.lesiontriage.triage.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lesiontriage.triage.lifecycle.ModelSwitchTest.BOTH;
import static org.lesiontriage.triage.lifecycle.ModelSwitchTest.READY;
import static org.lesiontriage.triage.lifecycle.ModelSwitchTest.awaitSent;
import static org.lesiontriage.triage.lifecycle.ModelSwitchTest.send;
import static org.lesiontriage.triage.lifecycle.ModelSwitchTest.start;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.lesiontriage.contracts.GoldenImage;
import org.lesiontriage.contracts.ModelRelease;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.ModelState;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.testing.TriageStackExtension;

/**
 * The switch rule across hard kills (a broker of its own): an instance killed with SIGKILL while it prepares a
 * release prepares it again when it restarts; an instance killed right after an activation leaves its partitions and
 * its open transaction to the other, and every result still carries the version its offset calls for, exactly once.
 */
@Tag("integration")
class ModelSwitchKillTest {

    @RegisterExtension
    static final TriageStackExtension STACK = new TriageStackExtension();

    @Test
    void theRuleHoldsWhenAnInstanceIsKilledDuringAPrepareAndDuringASwitch(@TempDir Path state) throws Exception {
        try (LifecycleCluster cluster = new LifecycleCluster(STACK.get(), "kill-test", state)) {
            BOTH.forEach(instance -> start(cluster, instance));
            cluster.awaitStatus("instance-b", LifecycleCluster.V2, s -> s == ModelState.READY, READY);
            // Its 14 golden images 40 times over: a prepare of seconds, long enough to be killed in.
            ModelRelease slowToPrepare = ReleaseBundle.fromFolder(LifecycleCluster.INT8, "test", null);
            List<GoldenImage> golden = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                golden.addAll(slowToPrepare.getGolden());
            }
            slowToPrepare.setGolden(golden);
            cluster.publish(slowToPrepare);
            cluster.awaitStatus("instance-b", LifecycleCluster.V2_INT8, s -> s != null, READY);
            cluster.kill("instance-b");
            assertThat(cluster.status("instance-b", LifecycleCluster.V2_INT8)).as("killed mid-prepare")
                    .isEqualTo(ModelState.PREPARING);
            start(cluster, "instance-b");
            for (String instance : BOTH) {
                cluster.awaitStatus(instance, LifecycleCluster.V2_INT8, s -> s == ModelState.READY, READY);
            }
            cluster.awaitMembers(BOTH, READY);

            int first = 1000;
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> send(cluster, first, 120));
            awaitSent(cluster, 40);
            ModelRollout rollout = cluster.activate(LifecycleCluster.V2_INT8, RolloutKind.ACTIVATE);
            cluster.kill("instance-a"); // mid-switch: its partitions move, its open transaction is aborted
            start(cluster, "instance-a");
            load.join();
            cluster.awaitSwitched(rollout, Duration.ofSeconds(120));

            List<TriageResult> live = cluster.results(Topics.TRIAGE_RESULTS, 120, Duration.ofSeconds(180));
            cluster.assertEveryResultFollowsTheHistory(live);
            assertThat(live).extracting(r -> r.getModel().getVersion()).contains("2.0.0", "2.0.0-int8");
        }
    }

}
