package org.lesiontriage.dashboard.testing;

import java.time.Instant;
import java.util.List;
import org.lesiontriage.contracts.CanaryScope;
import org.lesiontriage.contracts.GateDecision;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.PartitionOffset;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.contracts.Topics;

/** ModelRollout records of triagenet on lesion-images as bin/models writes them, for tests. */
public final class Rollouts {

    public static final String MODEL = "triagenet";

    private Rollouts() {
    }

    /** A rollout of the given kind (ACTIVATE, ROLLBACK, SHADOW, SHADOW_OFF). */
    public static ModelRollout of(String id, RolloutKind kind, String version, Instant at) {
        return ModelRollout.newBuilder().setRolloutId(id).setName(MODEL).setVersion(version)
                .setSha256("0".repeat(64)).setKind(kind).setPreviousVersion(null).setInputTopic(Topics.LESION_IMAGES)
                .setOffsets(List.of(new PartitionOffset(0, 1L), new PartitionOffset(1, 1L)))
                .setReadyInstances(List.of("triage-0")).setRequestedBy("ops").setRequestedAt(at).setReason(null)
                // Set, not defaulted: Avro would build defaults through the thread's class loader, which in a
                // @QuarkusTest is not the one that loaded this class.
                .setCanary(null).setGate(null)
                .build();
    }

    /** A CANARY of {@code version} for the named clinics and every clinic whose hash falls below {@code fraction}. */
    public static ModelRollout canary(String id, String version, List<String> clinics, double fraction, Instant at) {
        ModelRollout rollout = of(id, RolloutKind.CANARY, version, at);
        rollout.setCanary(new CanaryScope(clinics, fraction));
        return rollout;
    }

    /** An ACTIVATE that carries the promotion gate's decision. */
    public static ModelRollout gated(String id, String version, boolean passed, int urgentToRoutine, Instant at) {
        ModelRollout rollout = of(id, RolloutKind.ACTIVATE, version, at);
        rollout.setGate(GateDecision.newBuilder().setEvidence(Topics.SHADOW_RESULTS + " (last 24 h)").setCompared(120)
                .setLiveUrgent(30).setUrgentToRoutine(urgentToRoutine).setLabelled(0).setSensitivity(null)
                .setPassed(passed).setForced(false)
                .setFindings(urgentToRoutine + " URGENT -> ROUTINE of 30 URGENT (limit 1)").build());
        return rollout;
    }
}
