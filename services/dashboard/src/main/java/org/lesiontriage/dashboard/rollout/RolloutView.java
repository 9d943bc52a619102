package org.lesiontriage.dashboard.rollout;

import java.util.List;

/**
 * The operator view's model rollout: which versions are in effect, the promotion gate's last decision, and the
 * shadow version's results beside the live ones over a window. Each part is null where there is none. There are no
 * screening metrics: no diagnoses reach the dashboard (bin/compare --labels computes them).
 *
 * @param window   the window's label (1h, 24h, 7d)
 * @param fromMs   the window's start: images received at or after it
 */
public record RolloutView(long nowMs, String window, long fromMs, Version live, Shadow shadow, Canary canary,
                          Gate gate, Comparison comparison, Held held) {

    /** A rollout: a version, its kind, and when and by whom it was written. */
    public record Version(String name, String version, String kind, long sinceMs, String requestedBy, String reason) {
    }

    /**
     * The shadow version: the one in effect, or the last one (ended or dormant while it is the live version) whose
     * results the window may still hold.
     *
     * @param inEffect whether it scores new input in shadow now
     * @param endedAtMs when a SHADOW_OFF ended it; null otherwise
     */
    public record Shadow(Version rollout, boolean inEffect, Long endedAtMs) {
    }

    /**
     * The canary in effect: its version, the clinics it names and its hash fraction, and the clinics with live
     * results in the window, each with its side by the contract's rule (named, or hash position below the fraction).
     */
    public record Canary(Version rollout, List<String> namedClinics, double clinicFraction, String scope,
                         List<ClinicSeen> clinicsSeen) {
    }

    /** @param position the clinic's stable hash in [0, 1): on the canary when below the fraction */
    public record ClinicSeen(String clinicId, boolean onCanary, boolean named, double position, int liveResults) {
    }

    /** The last promotion gate's decision, as its activation recorded it. */
    public record Gate(String version, long atMs, boolean passed, boolean forced, int compared, int liveUrgent,
                       int urgentToRoutine, int labelled, Double sensitivity, String evidence, String findings) {
    }

    /**
     * The shadow's results beside the live ones on the same events (joined by event id) received in the window.
     *
     * @param liveOnly      live results in the window without a shadow result (before the shadow, or skipped by it)
     * @param shadowOnly    shadow results in the window whose live result is not held
     * @param agreement     share of the joined events with the same priority; null when none joined
     * @param complete      false when the dashboard let go of results inside the window (its memory bound)
     * @param coveredFromMs where the results held begin within the window: {@code fromMs} when complete
     */
    public record Comparison(String liveModels, String shadowModels, int joined, int liveOnly, int shadowOnly,
                             Double agreement, int urgentToRoutine, int routineToUrgent, int liveUrgent,
                             int shadowUrgent, Double meanDelta, Double meanAbsDelta, Double maxAbsDelta,
                             List<ClinicRow> byClinic, boolean complete, long coveredFromMs) {
    }

    /** One clinic's joined events, most URGENT -> ROUTINE first (ResultComparison's order). */
    public record ClinicRow(String clinicId, int joined, int urgentToRoutine, int routineToUrgent, Double agreement,
                            Double meanDelta, boolean onCanary) {
    }

    /** What this dashboard holds for the comparison, and its bound per side. */
    public record Held(int rollouts, int liveScores, int shadowResults, int cap, long maxAgeMs) {
    }
}
