package org.lesiontriage.clinictools.viewer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.ModelRef;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.common.labels.LabelledEvent;
import org.lesiontriage.common.labels.Label;
import org.lesiontriage.common.metrics.BinaryTriageMetrics;
import org.lesiontriage.common.metrics.Percentiles;

/** The end-of-run numbers, computed once from what the viewer counted. */
record RunSummary(
        long results,
        long deadLetters,
        SortedMap<String, Long> deadLettersByReason,
        long urgent,
        long routine,
        long unknownPriority,
        Map<String, Long> unreadable,
        long ignored,
        Long missing,
        Percentiles latencyMs,
        SortedMap<Integer, Long> batchSizes,
        SortedMap<String, Long> models,
        SortedMap<String, SortedMap<String, Long>> modelsByClinic,
        SortedSet<Double> thresholds,
        long labelledResults,
        BinaryTriageMetrics metrics,
        double wallSeconds) {

    static RunSummary of(RunCollector run, double wallSeconds) {
        List<TriageResult> results = run.results();
        SortedMap<String, Long> byReason = new TreeMap<>();
        for (DeadLetter d : run.deadLetters()) {
            byReason.merge(d.getReasonCode(), 1L, Long::sum);
        }
        List<Long> latencies = new ArrayList<>();
        SortedMap<Integer, Long> batchSizes = new TreeMap<>();
        SortedMap<String, Long> models = new TreeMap<>();
        SortedMap<String, SortedMap<String, Long>> modelsByClinic = new TreeMap<>();
        SortedSet<Double> thresholds = new TreeSet<>();
        long urgent = 0;
        long routine = 0;
        for (TriageResult r : results) {
            latencies.add(r.getScoredAt().toEpochMilli() - r.getCapturedAt().toEpochMilli());
            batchSizes.merge(r.getBatchSize(), 1L, Long::sum);
            models.merge(describe(r.getModel()), 1L, Long::sum);
            modelsByClinic.computeIfAbsent(String.valueOf(r.getClinicId()), clinic -> new TreeMap<>())
                    .merge(r.getModel().getVersion(), 1L, Long::sum);
            thresholds.add(r.getThreshold());
            if (r.getPriority() == TriagePriority.URGENT) {
                urgent++;
            } else if (r.getPriority() == TriagePriority.ROUTINE) {
                routine++;
            }
        }

        Map<String, LabelledEvent> labels = run.labels();
        List<BinaryTriageMetrics.Observation> observations = new ArrayList<>();
        if (labels != null) {
            for (TriageResult r : results) {
                LabelledEvent truth = labels.get(r.getEventId().toString());
                if (truth != null && truth.label() != Label.UNKNOWN && r.getPriority() != TriagePriority.UNKNOWN) {
                    observations.add(new BinaryTriageMetrics.Observation(truth.label() == Label.MELANOMA,
                            r.getMelanomaProbability(), r.getPriority() == TriagePriority.URGENT));
                }
            }
        }
        Long missing = labels == null ? null : labels.size() - run.counted();
        return new RunSummary(results.size(), run.deadLetters().size(), byReason, urgent, routine,
                results.size() - urgent - routine, run.unreadable(), run.ignored(), missing,
                Percentiles.of(latencies), batchSizes, models, modelsByClinic, thresholds, observations.size(),
                observations.isEmpty() ? null : BinaryTriageMetrics.of(observations), wallSeconds);
    }

    /** e.g. {@code proposed 1.0.0 (sha256 3f2a9c01d4e5)}: the short hash tells two builds of a version apart. */
    static String describe(ModelRef model) {
        String sha = model.getSha256();
        return model.getName() + " " + model.getVersion()
                + " (sha256 " + (sha.length() > 12 ? sha.substring(0, 12) : sha) + ")";
    }
}
