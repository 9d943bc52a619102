package org.lesiontriage.dashboard.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.common.rollout.CanaryClinics;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.dashboard.testing.Results;
import org.lesiontriage.dashboard.testing.Rollouts;

/** The operator's rollout view from the topics' records: versions in effect, the canary's clinics, the comparison. */
@Tag("unit")
class RolloutWatchTest {

    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    private final RolloutWatch watch = new RolloutWatch(Topics.LESION_IMAGES, 1000, Duration.ofDays(7));

    @Test
    void showsTheVersionsInEffectAndTheLastGateDecision() {
        watch.rollout(Rollouts.gated("r1", "2.0.0", true, 0, NOW.minusSeconds(7200)));
        watch.rollout(Rollouts.of("r2", RolloutKind.SHADOW, "3.0.0", NOW.minusSeconds(3600)));
        watch.rollout(Rollouts.canary("r3", "2.1.0", List.of("clinic-east"), 0.2, NOW.minusSeconds(600)));

        RolloutView view = watch.view(ComparisonWindow.LAST_DAY, NOW.toEpochMilli());
        assertThat(view.window()).isEqualTo("24h");
        assertThat(view.fromMs()).isEqualTo(NOW.minus(Duration.ofHours(24)).toEpochMilli());
        assertThat(view.live().version()).isEqualTo("2.0.0");
        assertThat(view.live().sinceMs()).isEqualTo(NOW.minusSeconds(7200).toEpochMilli());
        assertThat(view.shadow().rollout().version()).isEqualTo("3.0.0");
        assertThat(view.shadow().inEffect()).isTrue();
        assertThat(view.shadow().rollout().sinceMs()).isEqualTo(NOW.minusSeconds(3600).toEpochMilli());
        assertThat(view.canary().rollout().version()).isEqualTo("2.1.0");
        assertThat(view.canary().namedClinics()).containsExactly("clinic-east");
        assertThat(view.canary().clinicFraction()).isEqualTo(0.2);
        assertThat(view.canary().scope()).isEqualTo("clinics clinic-east and 20 % of clinics by hash");
        assertThat(view.gate().version()).isEqualTo("triagenet 2.0.0");
        assertThat(view.gate().passed()).isTrue();
        assertThat(view.gate().compared()).isEqualTo(120);
        assertThat(view.held().rollouts()).isEqualTo(3);
    }

    @Test
    void comparesTheShadowWithTheLiveResultsByClinicMostUrgentToRoutineFirst() {
        watch.rollout(Rollouts.of("r1", RolloutKind.ACTIVATE, "2.0.0", NOW.minusSeconds(7200)));
        watch.rollout(Rollouts.of("r2", RolloutKind.SHADOW, "3.0.0", NOW.minusSeconds(3600)));
        pair("clinic-south", 0.6, 0.7, 30);
        pair("clinic-south", 0.1, 0.2, 30);
        pair("clinic-north", 0.6, 0.1, 20);    // URGENT -> ROUTINE
        pair("clinic-north", 0.5, 0.2, 20);    // URGENT -> ROUTINE
        pair("clinic-north", 0.1, 0.1, 20);
        pair("clinic-east", 0.1, 0.4, 10);     // ROUTINE -> URGENT
        live("clinic-east", 0.1, "2.0.0", 10); // a batch the shadow skipped

        RolloutView.Comparison c = watch.view(ComparisonWindow.LAST_HOUR, NOW.toEpochMilli()).comparison();
        assertThat(c.joined()).isEqualTo(6);
        assertThat(c.liveOnly()).isEqualTo(1);
        assertThat(c.shadowOnly()).isZero();
        assertThat(c.urgentToRoutine()).isEqualTo(2);
        assertThat(c.routineToUrgent()).isEqualTo(1);
        assertThat(c.agreement()).isCloseTo(0.5, within(1e-9));
        assertThat(c.meanDelta()).isCloseTo((0.1 + 0.1 - 0.5 - 0.3 + 0 + 0.3) / 6, within(1e-9));
        assertThat(c.liveModels()).isEqualTo("triagenet 2.0.0");
        assertThat(c.shadowModels()).isEqualTo("triagenet 3.0.0");
        assertThat(c.byClinic()).extracting(RolloutView.ClinicRow::clinicId)
                .containsExactly("clinic-north", "clinic-east", "clinic-south");
        assertThat(c.byClinic().get(0).urgentToRoutine()).isEqualTo(2);
        assertThat(c.byClinic().get(0).agreement()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(c.complete()).isTrue();
        assertThat(c.coveredFromMs()).isEqualTo(NOW.minusSeconds(3600).toEpochMilli());
    }

    @Test
    void theWindowSelectsByTheTimeTheServiceReceivedTheImages() {
        watch.rollout(Rollouts.of("r2", RolloutKind.SHADOW, "3.0.0", NOW.minus(Duration.ofDays(2))));
        pair("clinic-north", 0.6, 0.1, 2 * 60);  // two hours ago
        pair("clinic-north", 0.6, 0.6, 30);

        assertThat(watch.view(ComparisonWindow.LAST_HOUR, NOW.toEpochMilli()).comparison().urgentToRoutine()).isZero();
        assertThat(watch.view(ComparisonWindow.LAST_DAY, NOW.toEpochMilli()).comparison().urgentToRoutine()).isOne();
    }

    @Test
    void theCanaryNamesTheClinicsSeenInTheWindowThatItServesByTheHashRule() {
        watch.rollout(Rollouts.of("r1", RolloutKind.ACTIVATE, "2.0.0", NOW.minusSeconds(7200)));
        watch.rollout(Rollouts.canary("r2", "2.1.0", List.of("clinic-east"), 0.2, NOW.minusSeconds(600)));
        live("clinic-north", 0.2, "2.0.0", 5);  // hash 0.385
        live("clinic-south", 0.2, "2.1.0", 5);  // hash 0.164: below 0.2
        live("clinic-south", 0.7, "2.1.0", 4);
        live("clinic-east", 0.2, "2.1.0", 5);   // named (hash 0.725)
        live("clinic-west", 0.2, "2.0.0", 5);   // hash 0.917

        RolloutView.Canary canary = watch.view(ComparisonWindow.LAST_HOUR, NOW.toEpochMilli()).canary();
        assertThat(canary.clinicsSeen()).extracting(RolloutView.ClinicSeen::clinicId)
                .containsExactly("clinic-east", "clinic-south", "clinic-north", "clinic-west");
        assertThat(canary.clinicsSeen()).extracting(RolloutView.ClinicSeen::onCanary)
                .containsExactly(true, true, false, false);
        assertThat(canary.clinicsSeen()).extracting(RolloutView.ClinicSeen::named)
                .containsExactly(true, false, false, false);
        assertThat(canary.clinicsSeen().get(1).liveResults()).isEqualTo(2);
        assertThat(canary.clinicsSeen().get(1).position()).isEqualTo(CanaryClinics.position("clinic-south"));
    }

    @Test
    void theClinicRowsMarkTheCanarysClinics() {
        watch.rollout(Rollouts.of("r1", RolloutKind.ACTIVATE, "2.0.0", NOW.minusSeconds(7200)));
        watch.rollout(Rollouts.of("r2", RolloutKind.SHADOW, "3.0.0", NOW.minusSeconds(3600)));
        watch.rollout(Rollouts.canary("r3", "2.1.0", List.of("clinic-east"), 0, NOW.minusSeconds(600)));
        pair("clinic-east", 0.1, 0.1, 5);
        pair("clinic-west", 0.1, 0.1, 5);

        assertThat(watch.view(ComparisonWindow.LAST_HOUR, NOW.toEpochMilli()).comparison().byClinic())
                .extracting(RolloutView.ClinicRow::clinicId, RolloutView.ClinicRow::onCanary)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("clinic-east", true),
                        org.assertj.core.groups.Tuple.tuple("clinic-west", false));
    }

    @Test
    void comparesOnlyTheShadowVersionsResultsAndKeepsTheLastOneAfterItEnded() {
        watch.rollout(Rollouts.of("r1", RolloutKind.ACTIVATE, "2.0.0", NOW.minusSeconds(7200)));
        watch.rollout(Rollouts.of("r2", RolloutKind.SHADOW, "2.5.0", NOW.minusSeconds(7000)));
        watch.rollout(Rollouts.of("r3", RolloutKind.SHADOW, "3.0.0", NOW.minusSeconds(3600)));
        pair("clinic-north", 0.6, 0.1, 50, "2.5.0");
        pair("clinic-north", 0.6, 0.6, 40, "3.0.0");
        watch.rollout(Rollouts.of("r4", RolloutKind.SHADOW_OFF, "3.0.0", NOW.minusSeconds(60)));

        RolloutView view = watch.view(ComparisonWindow.LAST_HOUR, NOW.toEpochMilli());
        assertThat(view.shadow().inEffect()).isFalse();
        assertThat(view.shadow().rollout().version()).isEqualTo("3.0.0");
        assertThat(view.shadow().endedAtMs()).isEqualTo(NOW.minusSeconds(60).toEpochMilli());
        assertThat(view.comparison().joined()).isOne();
        assertThat(view.comparison().shadowModels()).isEqualTo("triagenet 3.0.0");
        assertThat(view.comparison().urgentToRoutine()).isZero();
    }

    @Test
    void nothingJoinedHasNoFiguresAndNoRollouts() {
        RolloutView view = watch.view(ComparisonWindow.LAST_WEEK, NOW.toEpochMilli());
        assertThat(view.live()).isNull();
        assertThat(view.shadow()).isNull();
        assertThat(view.canary()).isNull();
        assertThat(view.gate()).isNull();
        assertThat(view.comparison().joined()).isZero();
        assertThat(view.comparison().agreement()).isNull();
        assertThat(view.comparison().meanDelta()).isNull();
        assertThat(view.comparison().byClinic()).isEmpty();
    }

    @Test
    void aWindowReachingPastWhatTheDashboardHoldsSaysWhereItsResultsBegin() {
        RolloutWatch small = new RolloutWatch(Topics.LESION_IMAGES, 2, Duration.ofDays(7));
        small.rollout(Rollouts.of("r1", RolloutKind.SHADOW, "3.0.0", NOW.minus(Duration.ofDays(1))));
        for (int minutesAgo : new int[] {40, 30, 20}) {
            TriageResult live = result("clinic-north", 0.5, "2.0.0", minutesAgo);
            small.live(live, NOW.toEpochMilli());
            TriageResult shadow = result("clinic-north", 0.5, "3.0.0", minutesAgo);
            shadow.setEventId(live.getEventId());
            small.shadow(shadow, NOW.toEpochMilli());
        }

        RolloutView.Comparison hour = small.view(ComparisonWindow.LAST_HOUR, NOW.toEpochMilli()).comparison();
        assertThat(hour.joined()).isEqualTo(2);
        assertThat(hour.complete()).isFalse();
        assertThat(hour.coveredFromMs()).isEqualTo(NOW.minusSeconds(40 * 60).toEpochMilli() + 1);
        assertThat(small.view(ComparisonWindow.LAST_HOUR, NOW.plusSeconds(3600).toEpochMilli()).comparison()
                .complete()).as("once the window starts after what was let go").isTrue();
    }

    @Test
    void theWindowsAreTheThreeTheOperatorPicksFrom() {
        assertThat(ComparisonWindow.parse("1h")).contains(ComparisonWindow.LAST_HOUR);
        assertThat(ComparisonWindow.parse("7d")).contains(ComparisonWindow.LAST_WEEK);
        assertThat(ComparisonWindow.parse(null)).contains(ComparisonWindow.LAST_DAY);
        assertThat(ComparisonWindow.parse("2h")).isEmpty();
    }

    private void pair(String clinic, double pLive, double pShadow, int minutesAgo) {
        pair(clinic, pLive, pShadow, minutesAgo, "3.0.0");
    }

    private void pair(String clinic, double pLive, double pShadow, int minutesAgo, String shadowVersion) {
        TriageResult live = result(clinic, pLive, "2.0.0", minutesAgo);
        TriageResult shadow = result(clinic, pShadow, shadowVersion, minutesAgo);
        shadow.setEventId(live.getEventId());
        watch.live(live, NOW.toEpochMilli());
        watch.shadow(shadow, NOW.toEpochMilli());
    }

    private void live(String clinic, double p, String version, int minutesAgo) {
        watch.live(result(clinic, p, version, minutesAgo), NOW.toEpochMilli());
    }

    private static TriageResult result(String clinic, double p, String version, int minutesAgo) {
        TriageResult result = Results.result(UUID.randomUUID(), "case-" + UUID.randomUUID(), clinic, p,
                NOW.minusSeconds(60L * minutesAgo));
        result.getModel().setVersion(version);
        return result;
    }
}
