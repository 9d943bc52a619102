package org.lesiontriage.dashboard.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.dashboard.testing.Rollouts;

/** What is in effect now: the service's rule (RolloutHistory) at the end of the input. */
@Tag("unit")
class RolloutLogTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private final RolloutLog log = new RolloutLog(Topics.LESION_IMAGES);

    @Test
    void nothingIsInEffectBeforeAnyRollout() {
        assertThat(log.now()).isEqualTo(new RolloutLog.InEffect(null, null, null, null, null, null, 0));
    }

    @Test
    void theLastActivationIsLiveAShadowAndACanaryOfOtherVersionsAreInEffect() {
        log.add(Rollouts.of("r1", RolloutKind.ACTIVATE, "2.0.0", T0));
        log.add(Rollouts.of("r2", RolloutKind.SHADOW, "3.0.0", T0.plusSeconds(60)));
        log.add(Rollouts.canary("r3", "2.1.0", List.of("clinic-east"), 0.2, T0.plusSeconds(120)));

        RolloutLog.InEffect now = log.now();
        assertThat(now.live().getRolloutId()).isEqualTo("r1");
        assertThat(now.shadow().getRolloutId()).isEqualTo("r2");
        assertThat(now.lastShadow().getRolloutId()).isEqualTo("r2");
        assertThat(now.shadowOff()).isNull();
        assertThat(now.canary().getRolloutId()).isEqualTo("r3");
        assertThat(now.rollouts()).isEqualTo(3);
    }

    @Test
    void anActivationOrARollbackEndsTheCanaryAndALaterCanaryReplacesIt() {
        log.add(Rollouts.of("r1", RolloutKind.ACTIVATE, "2.0.0", T0));
        log.add(Rollouts.canary("r2", "2.1.0", List.of("a"), 0, T0));
        log.add(Rollouts.canary("r3", "2.2.0", List.of("b"), 0, T0));
        assertThat(log.now().canary().getRolloutId()).isEqualTo("r3");

        log.add(Rollouts.of("r4", RolloutKind.ROLLBACK, "2.0.0", T0));
        assertThat(log.now().canary()).isNull();
        assertThat(log.now().live().getRolloutId()).isEqualTo("r4");

        log.add(Rollouts.canary("r5", "2.1.0", List.of("a"), 0, T0));
        log.add(Rollouts.of("r6", RolloutKind.ACTIVATE, "2.1.0", T0));
        assertThat(log.now().canary()).isNull();
    }

    @Test
    void aShadowOrCanaryAfterAnotherRolloutKindStillCounts() {
        log.add(Rollouts.of("r1", RolloutKind.ACTIVATE, "2.0.0", T0));
        log.add(Rollouts.canary("r2", "2.1.0", List.of("a"), 0, T0));
        log.add(Rollouts.of("r3", RolloutKind.SHADOW, "3.0.0", T0));
        assertThat(log.now().canary().getRolloutId()).as("a shadow does not end a canary").isEqualTo("r2");
        assertThat(log.now().shadow().getRolloutId()).isEqualTo("r3");
    }

    @Test
    void shadowOffEndsTheShadowWhoseResultsMayStillBeInAWindow() {
        log.add(Rollouts.of("r1", RolloutKind.ACTIVATE, "2.0.0", T0));
        log.add(Rollouts.of("r2", RolloutKind.SHADOW, "3.0.0", T0));
        log.add(Rollouts.of("r3", RolloutKind.SHADOW_OFF, "3.0.0", T0.plusSeconds(3600)));

        RolloutLog.InEffect now = log.now();
        assertThat(now.shadow()).isNull();
        assertThat(now.lastShadow().getRolloutId()).isEqualTo("r2");
        assertThat(now.shadowOff().getRolloutId()).isEqualTo("r3");
    }

    @Test
    void aShadowOrCanaryOfTheLiveVersionIsNone() {
        log.add(Rollouts.of("r1", RolloutKind.SHADOW, "3.0.0", T0));
        log.add(Rollouts.canary("r2", "3.0.0", List.of("a"), 0, T0));
        assertThat(log.now().shadow()).as("before any activation the live version is unknown").isNotNull();
        assertThat(log.now().canary()).isNotNull();

        log.add(Rollouts.of("r3", RolloutKind.ACTIVATE, "3.0.0", T0));
        assertThat(log.now().shadow()).as("dormant while it is live").isNull();
        assertThat(log.now().lastShadow().getRolloutId()).isEqualTo("r1");
        assertThat(log.now().canary()).isNull();
    }

    @Test
    void theLastGateDecisionIsKeptAcrossLaterRollouts() {
        log.add(Rollouts.gated("r1", "2.0.0", true, 0, T0));
        log.add(Rollouts.of("r2", RolloutKind.SHADOW, "3.0.0", T0));
        log.add(Rollouts.of("r3", RolloutKind.ROLLBACK, "1.0.0", T0));
        assertThat(log.now().gate().getRolloutId()).isEqualTo("r1");
    }

    @Test
    void rolloutsOfAnotherInputTopicOrReadTwiceAreIgnored() {
        ModelRollout elsewhere = Rollouts.of("r1", RolloutKind.ACTIVATE, "9.0.0", T0);
        elsewhere.setInputTopic("other-images");
        assertThat(log.add(elsewhere)).isFalse();
        assertThat(log.add(Rollouts.of("r2", RolloutKind.ACTIVATE, "2.0.0", T0))).isTrue();
        assertThat(log.add(Rollouts.of("r2", RolloutKind.ACTIVATE, "2.0.0", T0))).isFalse();
        assertThat(log.size()).isEqualTo(1);
        assertThat(log.now().live().getVersion()).isEqualTo("2.0.0");
    }
}
