package org.lesiontriage.triage.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.PartitionOffset;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.triage.lifecycle.ModelKey;

/** Rollout records as an activation writes them, for tests that give the history directly. */
public final class Rollouts {

    private Rollouts() {
    }

    /** A rollout of {@code version} on {@code topic}, from the given offset per partition. */
    public static ModelRollout of(String id, String topic, ModelKey version, Map<Integer, Long> fromOffsets) {
        return of(id, topic, version, fromOffsets, RolloutKind.ACTIVATE);
    }

    /** A CANARY of {@code version} for the named clinics and a hash fraction of the others. */
    public static ModelRollout canary(String id, String topic, ModelKey version, Map<Integer, Long> fromOffsets,
                                      List<String> clinics, double fraction) {
        ModelRollout rollout = of(id, topic, version, fromOffsets, RolloutKind.CANARY);
        rollout.setCanary(new org.lesiontriage.contracts.CanaryScope(clinics, fraction));
        return rollout;
    }

    /** A rollout of the given kind (SHADOW, SHADOW_OFF, ...). */
    public static ModelRollout of(String id, String topic, ModelKey version, Map<Integer, Long> fromOffsets,
                                  RolloutKind kind) {
        List<PartitionOffset> offsets = new ArrayList<>();
        fromOffsets.forEach((partition, offset) -> offsets.add(new PartitionOffset(partition, offset)));
        return ModelRollout.newBuilder().setRolloutId(id).setName(version.name()).setVersion(version.version())
                .setSha256("0".repeat(64)).setKind(kind).setPreviousVersion(null).setInputTopic(topic)
                .setOffsets(offsets).setReadyInstances(List.of()).setRequestedBy("test")
                .setRequestedAt(Instant.now()).setReason(null).build();
    }
}
