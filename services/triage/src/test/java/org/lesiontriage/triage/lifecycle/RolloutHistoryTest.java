package org.lesiontriage.triage.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.lesiontriage.common.rollout.CanaryClinics;
import org.lesiontriage.contracts.RolloutKind;
import org.junit.jupiter.api.Test;
import org.lesiontriage.triage.testing.Rollouts;

/** The rule every scoring decision follows: the last rollout whose offset for the partition is at or below the record's. */
@Tag("unit")
class RolloutHistoryTest {

    private static final ModelKey V2 = new ModelKey("triagenet", "2.0.0");
    private static final ModelKey INT8 = new ModelKey("triagenet", "2.0.0-int8");
    private static final ModelKey V3 = new ModelKey("triagenet", "3.0.0");

    private final RolloutHistory history = new RolloutHistory("lesion-images", V2);

    @Test
    void beforeAnyRolloutTheConfiguredModelScoresEverything() {
        assertThat(history.versionAt(0, 0)).isEqualTo(V2);
        assertThat(history.versionAt(1, Long.MAX_VALUE)).isEqualTo(V2);
        assertThat(history.current()).isEqualTo(V2);
    }

    @Test
    void eachPartitionSwitchesAtItsOwnOffset() {
        history.add(Rollouts.of("r1", "lesion-images", INT8, Map.of(0, 100L, 1, 40L)));

        assertThat(history.versionAt(0, 99)).isEqualTo(V2);
        assertThat(history.versionAt(0, 100)).isEqualTo(INT8);
        assertThat(history.versionAt(1, 39)).isEqualTo(V2);
        assertThat(history.versionAt(1, 40)).isEqualTo(INT8);
        assertThat(history.current()).isEqualTo(INT8);
    }

    @Test
    void aRollbackIsJustTheNextRollout() {
        history.add(Rollouts.of("r1", "lesion-images", INT8, Map.of(0, 100L)));
        history.add(Rollouts.of("r2", "lesion-images", V2, Map.of(0, 150L)));

        assertThat(history.versionAt(0, 120)).isEqualTo(INT8);
        assertThat(history.versionAt(0, 150)).isEqualTo(V2);
        assertThat(history.versionsFrom(0, 120)).containsExactly(INT8, V2);
        assertThat(history.versionsFrom(0, 150)).containsExactly(V2);
    }

    @Test
    void versionsStillNeededIncludeLaterRolloutsOnly() {
        history.add(Rollouts.of("r1", "lesion-images", INT8, Map.of(0, 100L)));
        history.add(Rollouts.of("r2", "lesion-images", V3, Map.of(0, 200L)));

        assertThat(history.versionsFrom(0, 50)).containsExactly(V2, INT8, V3);
        assertThat(history.versionsFrom(0, 100)).containsExactly(INT8, V3);
        assertThat(history.versionsFrom(0, 250)).containsExactly(V3);
    }

    @Test
    void aPartitionAddedAfterTheRolloutIsScoredByItFromItsFirstRecord() {
        history.add(Rollouts.of("r1", "lesion-images", INT8, Map.of(0, 100L)));

        assertThat(history.versionAt(5, 0)).isEqualTo(INT8);
    }

    @Test
    void rolloutsOfAnotherTopicAndRepeatsAreIgnored() {
        history.add(Rollouts.of("r1", "other-images", INT8, Map.of(0, 0L)));
        history.add(Rollouts.of("r2", "lesion-images", V3, Map.of(0, 10L)));
        history.add(Rollouts.of("r2", "lesion-images", INT8, Map.of(0, 20L)));

        assertThat(history.all()).extracting(r -> r.getRolloutId()).containsExactly("r2");
        assertThat(history.versionAt(0, 30)).isEqualTo(V3);
        assertThat(history.contains("r1")).isFalse();
    }

    @Test
    void modelKeysReadAndWriteNameColonVersion() {
        assertThat(ModelKey.parse("triagenet:2.0.0-int8")).isEqualTo(INT8);
        assertThat(INT8.toString()).isEqualTo("triagenet:2.0.0-int8");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelKey.parse("triagenet"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShadowScoresBesideTheLiveVersionFromItsOffsetsUntilItIsStopped() {
        history.add(Rollouts.of("s1", "lesion-images", V3, Map.of(0, 10L), RolloutKind.SHADOW));
        history.add(Rollouts.of("s2", "lesion-images", V3, Map.of(0, 30L), RolloutKind.SHADOW_OFF));

        assertThat(history.shadowAt(0, 9)).isNull();
        assertThat(history.shadowAt(0, 10)).isEqualTo(V3);
        assertThat(history.versionAt(0, 20)).as("a shadow changes nothing live").isEqualTo(V2);
        assertThat(history.shadowAt(0, 30)).isNull();
        assertThat(history.latest()).as("the latest live rollout: none").isEmpty();
        assertThat(history.versionsFrom(0, 20)).containsExactly(V2, V3);
    }

    @Test
    void theShadowOfTheVersionThatBecameLiveIsNone() {
        history.add(Rollouts.of("s1", "lesion-images", V3, Map.of(0, 10L), RolloutKind.SHADOW));
        history.add(Rollouts.of("r1", "lesion-images", V3, Map.of(0, 20L)));

        assertThat(history.shadowAt(0, 15)).isEqualTo(V3);
        assertThat(history.shadowAt(0, 20)).isNull();
        assertThat(history.currentShadow()).isNull();
        assertThat(history.latest()).get().extracting(r -> r.getRolloutId()).isEqualTo("r1");
    }

    @Test
    void aCanaryServesItsClinicsFromItsOffsetsAndTheOthersKeepTheLiveVersion() {
        history.add(Rollouts.canary("c1", "lesion-images", V3, Map.of(0, 10L), List.of("north"), 0.0));

        assertThat(history.versionAt(0, 9, "north")).isEqualTo(V2);
        assertThat(history.versionAt(0, 10, "north")).isEqualTo(V3);
        assertThat(history.versionAt(0, 10, "south")).isEqualTo(V2);
        assertThat(history.versionAt(0, 10)).as("the live version is unchanged").isEqualTo(V2);
        assertThat(history.current()).isEqualTo(V2);
        assertThat(history.currentCanary().getRolloutId()).isEqualTo("c1");
        assertThat(history.versionsFrom(0, 10)).containsExactly(V2, V3);
    }

    @Test
    void aLaterCanaryReplacesTheEarlierOneAndAnActivationOrRollbackEndsIt() {
        history.add(Rollouts.canary("c1", "lesion-images", V3, Map.of(0, 10L), List.of("north"), 0.0));
        history.add(Rollouts.canary("c2", "lesion-images", V3, Map.of(0, 20L), List.of("south"), 0.0));
        history.add(Rollouts.of("r1", "lesion-images", V2, Map.of(0, 30L), RolloutKind.ROLLBACK));
        history.add(Rollouts.canary("c3", "lesion-images", INT8, Map.of(0, 40L), List.of("north"), 0.0));
        history.add(Rollouts.of("a1", "lesion-images", INT8, Map.of(0, 50L)));

        assertThat(history.versionAt(0, 15, "north")).isEqualTo(V3);
        assertThat(history.versionAt(0, 20, "north")).as("replaced").isEqualTo(V2);
        assertThat(history.versionAt(0, 20, "south")).isEqualTo(V3);
        assertThat(history.versionAt(0, 30, "south")).as("the rollback ends it").isEqualTo(V2);
        assertThat(history.versionAt(0, 40, "north")).isEqualTo(INT8);
        assertThat(history.versionAt(0, 50, "south")).as("promoted to every clinic").isEqualTo(INT8);
        assertThat(history.canaryAt(0, 50)).isNull();
        assertThat(history.currentCanary()).isNull();
    }

    @Test
    void aShadowDoesNotEndACanary() {
        history.add(Rollouts.canary("c1", "lesion-images", V3, Map.of(0, 10L), List.of("north"), 0.0));
        history.add(Rollouts.of("s1", "lesion-images", INT8, Map.of(0, 20L), RolloutKind.SHADOW));

        assertThat(history.versionAt(0, 25, "north")).isEqualTo(V3);
        assertThat(history.shadowAt(0, 25)).isEqualTo(INT8);
    }

    @Test
    void aFractionTakesTheClinicsWhoseHashFallsBelowIt() {
        history.add(Rollouts.canary("c1", "lesion-images", V3, Map.of(0, 0L), List.of(), 0.5));

        for (String clinic : List.of("clinic-1", "clinic-2", "clinic-3", "clinic-4", "clinic-5", "clinic-6")) {
            assertThat(history.versionAt(0, 0, clinic)).as(clinic)
                    .isEqualTo(CanaryClinics.position(clinic) < 0.5 ? V3 : V2);
        }
    }
}
