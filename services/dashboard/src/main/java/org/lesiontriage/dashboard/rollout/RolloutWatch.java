package org.lesiontriage.dashboard.rollout;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.lesiontriage.common.compare.ResultComparison;
import org.lesiontriage.common.compare.ScoredEvent;
import org.lesiontriage.common.rollout.CanaryClinics;
import org.lesiontriage.contracts.CanaryScope;
import org.lesiontriage.contracts.GateDecision;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;

/**
 * The model rollout as the topics show it: the rollout history, and the scores of the newest live and shadow
 * results (each side a {@link ScoreStore}), compared over a window with the project's {@link ResultComparison}.
 * The live results are the queue's own stream; this keeps only their scores. Thread-safe.
 */
public final class RolloutWatch {

    private final RolloutLog log;
    private final ScoreStore live;
    private final ScoreStore shadow;
    private final long maxAgeMs;
    private final AtomicLong version = new AtomicLong();

    /**
     * @param inputTopic the image topic whose rollouts count (the service's input)
     * @param cap        the most results held per side (live scores, shadow results)
     * @param maxAge     none older than this is held, by the time the service received the image
     */
    public RolloutWatch(String inputTopic, int cap, Duration maxAge) {
        this.log = new RolloutLog(inputTopic);
        this.maxAgeMs = maxAge.toMillis();
        this.live = new ScoreStore(cap, maxAgeMs);
        this.shadow = new ScoreStore(cap, maxAgeMs);
    }

    public void rollout(ModelRollout rollout) {
        if (log.add(rollout)) {
            version.incrementAndGet();
        }
    }

    public void live(TriageResult result, long nowMs) {
        add(live, result, nowMs);
    }

    public void shadow(TriageResult result, long nowMs) {
        add(shadow, result, nowMs);
    }

    /** Changes with every rollout or result read. */
    public long version() {
        return version.get();
    }

    public RolloutView.Held held() {
        return new RolloutView.Held(log.size(), live.size(), shadow.size(), live.cap(), maxAgeMs);
    }

    public RolloutView view(ComparisonWindow window, long nowMs) {
        RolloutLog.InEffect now = log.now();
        long fromMs = nowMs - window.length().toMillis();
        Map<String, ScoredEvent> liveInWindow = live.within(fromMs, Long.MAX_VALUE, nowMs);
        ModelRollout shadowRollout = now.shadow() != null ? now.shadow() : now.lastShadow();
        RolloutView.Shadow shadowPart = shadowRollout == null ? null : new RolloutView.Shadow(version(shadowRollout),
                now.shadow() != null, now.shadowOff() == null ? null : now.shadowOff().getRequestedAt().toEpochMilli());
        CanaryScope scope = now.canary() == null ? null : now.canary().getCanary();
        return new RolloutView(nowMs, window.label(), fromMs, version(now.live()), shadowPart,
                canary(now.canary(), liveInWindow), gate(now.gate()),
                comparison(liveInWindow, shadowInWindow(shadowRollout, fromMs, nowMs), scope, fromMs), held());
    }

    /** The shadow results of the window, of the shadow version in effect (or the last one) where one is known. */
    private Map<String, ScoredEvent> shadowInWindow(ModelRollout shadowRollout, long fromMs, long nowMs) {
        Map<String, ScoredEvent> all = shadow.within(fromMs, Long.MAX_VALUE, nowMs);
        if (shadowRollout == null) {
            return all;
        }
        String model = model(shadowRollout.getName(), shadowRollout.getVersion());
        Map<String, ScoredEvent> ofVersion = new HashMap<>();
        all.forEach((id, event) -> {
            if (model.equals(event.model())) {
                ofVersion.put(id, event);
            }
        });
        return ofVersion;
    }

    private RolloutView.Comparison comparison(Map<String, ScoredEvent> liveInWindow,
                                              Map<String, ScoredEvent> shadowInWindow, CanaryScope scope, long fromMs) {
        ResultComparison c = ResultComparison.of(liveInWindow, shadowInWindow, Map.of());
        List<RolloutView.ClinicRow> rows = c.byClinic().stream()
                .map(clinic -> new RolloutView.ClinicRow(clinic.clinicId(), clinic.joined(), clinic.urgentToRoutine(),
                        clinic.routineToUrgent(), number(clinic.agreement()), number(clinic.meanDelta()),
                        CanaryClinics.includes(scope, clinic.clinicId())))
                .toList();
        long letGo = Math.max(live.newestLetGoMs(), shadow.newestLetGoMs());
        boolean complete = letGo < fromMs;
        boolean none = c.joined() == 0;
        return new RolloutView.Comparison(c.baselineModel(), c.candidateModel(), c.joined(), c.baselineOnly(),
                c.candidateOnly(), number(c.agreement()), c.urgentToRoutine().size(), c.routineToUrgent().size(),
                c.baselineUrgent(), c.candidateUrgent(), none ? null : c.shift().meanDelta(),
                none ? null : c.shift().meanAbsDelta(), none ? null : c.shift().maxAbsDelta(), rows, complete,
                complete ? fromMs : letGo + 1);
    }

    private static RolloutView.Canary canary(ModelRollout canary, Map<String, ScoredEvent> liveInWindow) {
        if (canary == null) {
            return null;
        }
        CanaryScope scope = canary.getCanary();
        Map<String, Long> resultsByClinic = liveInWindow.values().stream()
                .collect(Collectors.groupingBy(e -> String.valueOf(e.clinicId()), TreeMap::new, Collectors.counting()));
        List<String> named = scope == null ? List.of() : List.copyOf(scope.getClinics());
        List<RolloutView.ClinicSeen> seen = resultsByClinic.entrySet().stream()
                .map(e -> new RolloutView.ClinicSeen(e.getKey(), CanaryClinics.includes(scope, e.getKey()),
                        named.contains(e.getKey()), CanaryClinics.position(e.getKey()), e.getValue().intValue()))
                .sorted((a, b) -> a.onCanary() != b.onCanary() ? (a.onCanary() ? -1 : 1)
                        : a.clinicId().compareTo(b.clinicId()))
                .toList();
        return new RolloutView.Canary(version(canary), named, scope == null ? 0 : scope.getClinicFraction(),
                CanaryClinics.describe(scope), seen);
    }

    private static RolloutView.Gate gate(ModelRollout rollout) {
        if (rollout == null) {
            return null;
        }
        GateDecision g = rollout.getGate();
        return new RolloutView.Gate(model(rollout.getName(), rollout.getVersion()),
                rollout.getRequestedAt().toEpochMilli(), g.getPassed(), g.getForced(), g.getCompared(),
                g.getLiveUrgent(), g.getUrgentToRoutine(), g.getLabelled(), g.getSensitivity(), g.getEvidence(),
                g.getFindings());
    }

    private static RolloutView.Version version(ModelRollout rollout) {
        return rollout == null ? null : new RolloutView.Version(rollout.getName(), rollout.getVersion(),
                rollout.getKind().name(), rollout.getRequestedAt().toEpochMilli(), rollout.getRequestedBy(),
                rollout.getReason());
    }

    private void add(ScoreStore store, TriageResult result, long nowMs) {
        store.add(result.getEventId().toString(), result.getMelanomaProbability(),
                result.getPriority() == TriagePriority.URGENT,
                model(result.getModel().getName(), result.getModel().getVersion()), result.getClinicId(),
                result.getReceivedAt().toEpochMilli(), nowMs);
        version.incrementAndGet();
    }

    /** How a result names its model here: name and version, as a rollout names them. */
    static String model(String name, String version) {
        return name + " " + version;
    }

    /** JSON has no NaN: an undefined figure (nothing joined) is null. */
    private static Double number(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
