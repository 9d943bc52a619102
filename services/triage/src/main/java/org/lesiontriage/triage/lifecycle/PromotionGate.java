package org.lesiontriage.triage.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.lesiontriage.common.compare.ResultComparison;
import org.lesiontriage.common.compare.ResultsTopicReader;
import org.lesiontriage.common.compare.ScoredEvent;
import org.lesiontriage.common.labels.Label;
import org.lesiontriage.contracts.GateDecision;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.RolloutKind;

/**
 * Before a version is activated for every clinic: its results beside the live version's on the same events (the
 * shadow's since it started, or a replay's), judged against limits. Refuses more URGENT -> ROUTINE changes than the
 * limit allows (each is a lesion a clinician would see later), a sensitivity below the floor on labelled events, and
 * too little evidence to say either.
 */
public final class PromotionGate {

    /**
     * @param maxUrgentToRoutineShare URGENT -> ROUTINE changes allowed, as a share of the events the live version
     *                                sent to URGENT
     * @param minCompared             events both versions answered, below which nothing is judged (refused)
     * @param minSensitivity          the candidate's sensitivity floor on labelled events
     * @param minLabelled             labelled events below which sensitivity is not judged (said in the findings)
     */
    public record Limits(double maxUrgentToRoutineShare, int minCompared, double minSensitivity, int minLabelled) {
        public static final Limits DEFAULT = new Limits(0.05, 50, 0.80, 20);
    }

    /**
     * What to judge on.
     *
     * @param candidateTopic the candidate's results: the shadow topic, or a replay's output topic
     * @param since          only events received from then on (null: since the candidate's latest shadow rollout,
     *                       or everything for a replay's topic)
     * @param labels         known diagnoses by event id (may be empty)
     */
    public record Evidence(String candidateTopic, Instant since, Map<String, Label> labels) {
    }

    private final ResultsTopicReader reader;
    private final String liveTopic;
    private final String shadowTopic;
    private final Limits limits;

    public PromotionGate(Properties kafkaClient, Map<String, ?> serdeConfig, String liveTopic, String shadowTopic,
                         Limits limits) {
        this.reader = new ResultsTopicReader(kafkaClient, serdeConfig);
        this.liveTopic = liveTopic;
        this.shadowTopic = shadowTopic;
        this.limits = limits;
    }

    /** Reads both versions' results and judges them. */
    public GateDecision judge(ModelKey live, ModelKey candidate, Evidence evidence, RolloutHistory history) {
        Instant since = evidence.since() != null ? evidence.since()
                : evidence.candidateTopic().equals(shadowTopic) ? shadowStart(candidate, history) : Instant.EPOCH;
        long from = since == null ? Long.MAX_VALUE : since.toEpochMilli();
        Duration timeout = Duration.ofMinutes(2);
        var baseline = ResultComparison.within(byVersion(reader.read(liveTopic, timeout).byEventId(), live), from,
                Long.MAX_VALUE);
        var candidateResults = ResultComparison.within(
                byVersion(reader.read(evidence.candidateTopic(), timeout).byEventId(), candidate), from, Long.MAX_VALUE);
        String where = evidence.candidateTopic() + (since == null ? " (no shadow of " + candidate + " recorded)"
                : " since " + since);
        return decide(ResultComparison.of(baseline, candidateResults, evidence.labels()), limits, where);
    }

    /** The judgement itself, on a comparison already made. */
    public static GateDecision decide(ResultComparison comparison, Limits limits, String evidence) {
        List<String> failed = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        int compared = comparison.joined();
        int liveUrgent = comparison.baselineUrgent();
        int flips = comparison.urgentToRoutine().size();
        if (compared < limits.minCompared()) {
            failed.add(String.format(Locale.ROOT, "too little evidence: %d events compared, at least %d needed",
                    compared, limits.minCompared()));
        }
        int allowed = (int) Math.floor(limits.maxUrgentToRoutineShare() * liveUrgent);
        String flipLine = String.format(Locale.ROOT, "URGENT -> ROUTINE %d of %d live URGENT (at most %d allowed, %.1f %%)",
                flips, liveUrgent, allowed, 100 * limits.maxUrgentToRoutineShare());
        (flips > allowed ? failed : findings).add(flipLine);
        Double sensitivity = null;
        int labelled = comparison.candidateMetrics().labelled();
        if (labelled >= limits.minLabelled() && !Double.isNaN(comparison.candidateMetrics().sensitivity())) {
            sensitivity = comparison.candidateMetrics().sensitivity();
            String line = String.format(Locale.ROOT, "sensitivity %.3f on %d labelled events (floor %.3f; live %.3f)",
                    sensitivity, labelled, limits.minSensitivity(), comparison.baselineMetrics().sensitivity());
            (sensitivity < limits.minSensitivity() ? failed : findings).add(line);
        } else {
            findings.add(String.format(Locale.ROOT, "sensitivity not judged: %d labelled events (at least %d needed)",
                    labelled, limits.minLabelled()));
        }
        String text = (failed.isEmpty() ? "passed: " : "refused: " + String.join("; ", failed)
                + (findings.isEmpty() ? "" : "; ")) + String.join("; ", findings)
                + String.format(Locale.ROOT, " (%d compared, agreement %.3f)", compared,
                compared == 0 ? Double.NaN : comparison.agreement());
        return GateDecision.newBuilder().setEvidence(evidence).setCompared(compared).setLiveUrgent(liveUrgent)
                .setUrgentToRoutine(flips).setLabelled(labelled).setSensitivity(sensitivity)
                .setPassed(failed.isEmpty()).setForced(false).setFindings(text).build();
    }

    /** When the candidate's latest shadow began: its shadow results before are of an earlier shadow, if any. */
    private static Instant shadowStart(ModelKey candidate, RolloutHistory history) {
        Instant start = null;
        for (ModelRollout rollout : history.all()) {
            if (rollout.getKind() == RolloutKind.SHADOW && ModelKey.of(rollout).equals(candidate)) {
                start = rollout.getRequestedAt();
            }
        }
        return start;
    }

    /** The results of one version (a topic may hold several: a shadow topic over time, the live one across switches). */
    static Map<String, ScoredEvent> byVersion(Map<String, ScoredEvent> results, ModelKey key) {
        String prefix = key.name() + " " + key.version() + " ";
        Map<String, ScoredEvent> selected = new HashMap<>();
        results.forEach((id, event) -> {
            if (event.model().startsWith(prefix)) {
                selected.put(id, event);
            }
        });
        return selected;
    }
}
