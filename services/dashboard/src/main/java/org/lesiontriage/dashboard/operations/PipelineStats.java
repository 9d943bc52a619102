package org.lesiontriage.dashboard.operations;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lesiontriage.common.metrics.Percentiles;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.TriageResult;

/**
 * The pipeline as the topics show it, in bounded memory: results and dead letters per second (by the time they
 * were scored or failed, so reading history does not look like a burst), latency percentiles and batch sizes of
 * the newest results, the models that scored them, dead letters by reason and the newest dead letters' metadata.
 */
public final class PipelineStats {

    private static final int RATE_WINDOW_S = 60;
    private static final int MAX_REASONS = 100;

    /** What the operator view shows from the topics. */
    public record Snapshot(double resultsPerSecond, double deadLettersPerSecond, long results, long deadLetters,
                           Map<String, Double> endToEndMs, Map<String, Double> visibleMs, int latencySample,
                           Map<Integer, Long> batchSizes, Map<String, Long> resultsByModel, String newestModel,
                           Map<String, Long> deadLettersByReason, List<DeadLetterSummary> newestDeadLetters,
                           Map<String, Long> unreadable) {
    }

    private final int sampleCap;
    private final int deadLetterCap;
    private final long[] resultsPerSecond = new long[RATE_WINDOW_S + 2];
    private final long[] lettersPerSecond = new long[RATE_WINDOW_S + 2];
    private final long[] bucketSecond = new long[RATE_WINDOW_S + 2];
    private final long[] lettersBucketSecond = new long[RATE_WINDOW_S + 2];
    private final Deque<long[]> samples = new ArrayDeque<>(); // {end-to-end ms, visible ms or -1, batch size}
    private final Map<String, Long> byModel = new TreeMap<>();
    private final Map<String, Long> byReason = new TreeMap<>();
    private final Deque<DeadLetterSummary> newestLetters = new ArrayDeque<>();
    private final Map<String, Long> unreadable = new TreeMap<>();
    private long results;
    private long deadLetters;
    private String newestModel;
    private long newestScoredAt = Long.MIN_VALUE;

    public PipelineStats(int sampleCap, int deadLetterCap) {
        this.sampleCap = sampleCap;
        this.deadLetterCap = deadLetterCap;
    }

    /**
     * @param recordTimestampMs the result record's timestamp: the input record's, which the service copies
     * @param live              read as it happened (not history at start): the visible latency counts
     */
    public synchronized void result(TriageResult result, long recordTimestampMs, long arrivedAtMs, boolean live) {
        results++;
        long scoredAt = result.getScoredAt().toEpochMilli();
        count(resultsPerSecond, bucketSecond, scoredAt / 1000);
        samples.addLast(new long[] {scoredAt - recordTimestampMs, live ? arrivedAtMs - recordTimestampMs : -1,
                result.getBatchSize()});
        if (samples.size() > sampleCap) {
            samples.pollFirst();
        }
        String model = result.getModel().getName() + " " + result.getModel().getVersion();
        byModel.merge(model, 1L, Long::sum);
        if (scoredAt >= newestScoredAt) {
            newestScoredAt = scoredAt;
            newestModel = model;
        }
    }

    public synchronized void deadLetter(DeadLetter letter) {
        deadLetters++;
        count(lettersPerSecond, lettersBucketSecond, letter.getFailedAt().toEpochMilli() / 1000);
        String reason = byReason.size() < MAX_REASONS || byReason.containsKey(letter.getReasonCode())
                ? letter.getReasonCode() : "OTHER";
        byReason.merge(reason, 1L, Long::sum);
        newestLetters.addFirst(DeadLetterSummary.of(letter));
        if (newestLetters.size() > deadLetterCap) {
            newestLetters.pollLast();
        }
    }

    /** A record that did not deserialize (counted by topic and reason code, never fatal). */
    public synchronized void unreadable(String topic, String reasonCode) {
        unreadable.merge(topic + ": " + reasonCode, 1L, Long::sum);
    }

    public synchronized Snapshot snapshot(long nowMs) {
        List<Double> endToEnd = new ArrayList<>();
        List<Double> visible = new ArrayList<>();
        Map<Integer, Long> batches = new TreeMap<>();
        for (long[] s : samples) {
            endToEnd.add((double) s[0]);
            if (s[1] >= 0) {
                visible.add((double) s[1]);
            }
            batches.merge((int) s[2], 1L, Long::sum);
        }
        return new Snapshot(rate(resultsPerSecond, bucketSecond, nowMs), rate(lettersPerSecond, lettersBucketSecond,
                nowMs), results, deadLetters, percentiles(endToEnd), percentiles(visible), samples.size(), batches,
                new TreeMap<>(byModel), newestModel, new TreeMap<>(byReason), List.copyOf(newestLetters),
                new TreeMap<>(unreadable));
    }

    private static Map<String, Double> percentiles(List<Double> values) {
        if (values.isEmpty()) {
            return Map.of();
        }
        Percentiles p = Percentiles.of(values);
        Map<String, Double> out = new TreeMap<>();
        out.put("p50", p.at(50));
        out.put("p95", p.at(95));
        out.put("p99", p.at(99));
        return out;
    }

    private static void count(long[] counts, long[] seconds, long second) {
        int slot = (int) Math.floorMod(second, (long) counts.length);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** Per second over the last full minute. */
    private static double rate(long[] counts, long[] seconds, long nowMs) {
        long now = nowMs / 1000;
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (seconds[i] < now && seconds[i] >= now - RATE_WINDOW_S) {
                total += counts[i];
            }
        }
        return total / (double) RATE_WINDOW_S;
    }
}
