package org.lesiontriage.common.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lesiontriage.common.labels.Label;
import org.lesiontriage.common.metrics.BinaryTriageMetrics;
import org.lesiontriage.common.metrics.Calibration;

/**
 * A candidate model's results beside the baseline's, joined by event id: where the triage queue would change,
 * how p(melanoma) moved, and, for labelled events, both models' screening metrics on the same events.
 */
public record ResultComparison(
        String baselineModel,
        String candidateModel,
        int joined,
        int baselineOnly,
        int candidateOnly,
        int samePriority,
        List<String> urgentToRoutine,
        List<String> routineToUrgent,
        int baselineUrgent,
        int candidateUrgent,
        ProbabilityShift shift,
        Metrics baselineMetrics,
        Metrics candidateMetrics,
        List<ClinicChanges> byClinic) {

    /** Histogram bins of the p(melanoma) distributions. */
    public static final int BINS = 20;

    /** Candidate minus baseline p(melanoma) over the joined events, and both distributions. */
    public record ProbabilityShift(double meanBaseline, double meanCandidate, double meanDelta, double meanAbsDelta,
                                   double maxAbsDelta, int[] baselineHistogram, int[] candidateHistogram) {
    }

    /**
     * One clinic's joined events: how many changed priority each way (URGENT -> ROUTINE is the dangerous one: a
     * clinician would see that lesion later) and how far p(melanoma) moved on average.
     */
    public record ClinicChanges(String clinicId, int joined, int urgentToRoutine, int routineToUrgent, double meanDelta) {

        public double agreement() {
            return joined == 0 ? Double.NaN : 1.0 - (double) (urgentToRoutine + routineToUrgent) / joined;
        }
    }

    /** @param labelled joined events with a known class; the metrics are NaN when none are */
    public record Metrics(int labelled, double sensitivity, double specificity, double auc, double brier, double ece) {
    }

    public static ResultComparison of(Map<String, ScoredEvent> baseline, Map<String, ScoredEvent> candidate,
                                      Map<String, Label> labels) {
        List<String> urgentToRoutine = new ArrayList<>();
        List<String> routineToUrgent = new ArrayList<>();
        List<BinaryTriageMetrics.Observation> baselineObserved = new ArrayList<>();
        List<BinaryTriageMetrics.Observation> candidateObserved = new ArrayList<>();
        int joined = 0;
        int same = 0;
        int baselineUrgent = 0;
        int candidateUrgent = 0;
        double sumBaseline = 0;
        double sumCandidate = 0;
        double sumDelta = 0;
        double sumAbsDelta = 0;
        double maxAbsDelta = 0;
        int[] baselineBins = new int[BINS];
        int[] candidateBins = new int[BINS];
        Map<String, int[]> clinicCounts = new java.util.TreeMap<>(); // joined, urgent->routine, routine->urgent
        Map<String, Double> clinicDeltas = new java.util.HashMap<>();
        for (ScoredEvent before : baseline.values()) {
            ScoredEvent after = candidate.get(before.eventId());
            if (after == null) {
                continue;
            }
            joined++;
            int[] clinic = clinicCounts.computeIfAbsent(String.valueOf(before.clinicId()), id -> new int[3]);
            clinic[0]++;
            if (before.urgent() == after.urgent()) {
                same++;
            } else {
                (before.urgent() ? urgentToRoutine : routineToUrgent).add(before.eventId());
                clinic[before.urgent() ? 1 : 2]++;
            }
            clinicDeltas.merge(String.valueOf(before.clinicId()),
                    after.melanomaProbability() - before.melanomaProbability(), Double::sum);
            baselineUrgent += before.urgent() ? 1 : 0;
            candidateUrgent += after.urgent() ? 1 : 0;
            double delta = after.melanomaProbability() - before.melanomaProbability();
            sumBaseline += before.melanomaProbability();
            sumCandidate += after.melanomaProbability();
            sumDelta += delta;
            sumAbsDelta += Math.abs(delta);
            maxAbsDelta = Math.max(maxAbsDelta, Math.abs(delta));
            baselineBins[bin(before.melanomaProbability())]++;
            candidateBins[bin(after.melanomaProbability())]++;
            Label label = labels.getOrDefault(before.eventId(), Label.UNKNOWN);
            if (label != Label.UNKNOWN) {
                boolean melanoma = label == Label.MELANOMA;
                baselineObserved.add(new BinaryTriageMetrics.Observation(melanoma, before.melanomaProbability(), before.urgent()));
                candidateObserved.add(new BinaryTriageMetrics.Observation(melanoma, after.melanomaProbability(), after.urgent()));
            }
        }
        urgentToRoutine.sort(null);
        routineToUrgent.sort(null);
        double n = Math.max(joined, 1);
        var shift = new ProbabilityShift(sumBaseline / n, sumCandidate / n, sumDelta / n, sumAbsDelta / n, maxAbsDelta,
                baselineBins, candidateBins);
        return new ResultComparison(models(baseline), models(candidate), joined, baseline.size() - joined,
                (int) candidate.keySet().stream().filter(id -> !baseline.containsKey(id)).count(), same,
                List.copyOf(urgentToRoutine), List.copyOf(routineToUrgent), baselineUrgent, candidateUrgent, shift,
                metrics(baselineObserved), metrics(candidateObserved), byClinic(clinicCounts, clinicDeltas));
    }

    /** Clinics with the most URGENT -> ROUTINE changes first, then the most changes, then by name. */
    private static List<ClinicChanges> byClinic(Map<String, int[]> counts, Map<String, Double> deltas) {
        List<ClinicChanges> clinics = new ArrayList<>();
        counts.forEach((clinic, n) -> clinics.add(new ClinicChanges(clinic, n[0], n[1], n[2], deltas.get(clinic) / n[0])));
        clinics.sort(java.util.Comparator.comparingInt(ClinicChanges::urgentToRoutine).reversed()
                .thenComparing(java.util.Comparator.comparingInt(
                        (ClinicChanges c) -> c.urgentToRoutine() + c.routineToUrgent()).reversed())
                .thenComparing(ClinicChanges::clinicId));
        return List.copyOf(clinics);
    }

    /** The events received in {@code [fromMs, toMs)}: the window a comparison looks at. */
    public static Map<String, ScoredEvent> within(Map<String, ScoredEvent> events, long fromMs, long toMs) {
        Map<String, ScoredEvent> window = new java.util.HashMap<>();
        events.forEach((id, event) -> {
            if (event.receivedAtMs() >= fromMs && event.receivedAtMs() < toMs) {
                window.put(id, event);
            }
        });
        return window;
    }

    /** Share of the joined events whose priority did not change. */
    public double agreement() {
        return joined == 0 ? Double.NaN : (double) samePriority / joined;
    }

    /** Same events on both sides, same priorities, p(melanoma) within {@code tolerance}: a replay of the same model. */
    public boolean identical(double tolerance) {
        return baselineOnly == 0 && candidateOnly == 0 && joined > 0 && samePriority == joined
                && shift.maxAbsDelta() <= tolerance;
    }

    private static int bin(double p) {
        return Math.max(0, Math.min(BINS - 1, (int) (p * BINS)));
    }

    private static String models(Map<String, ScoredEvent> results) {
        return String.join(", ", results.values().stream().map(ScoredEvent::model).distinct().sorted().toList());
    }

    private static Metrics metrics(List<BinaryTriageMetrics.Observation> observed) {
        if (observed.isEmpty()) {
            return new Metrics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        BinaryTriageMetrics m = BinaryTriageMetrics.of(observed);
        Calibration calibration = Calibration.of(observed);
        return new Metrics(observed.size(), m.sensitivity(), m.specificity(), m.auc(), calibration.brier(), calibration.ece());
    }
}
