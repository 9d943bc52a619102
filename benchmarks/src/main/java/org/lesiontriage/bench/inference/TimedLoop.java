package org.lesiontriage.bench.inference;

import java.util.ArrayList;
import java.util.List;
import org.lesiontriage.common.metrics.Percentiles;

/**
 * Warm-up, then timed runs until both a minimum count and a minimum time are reached: long enough for a
 * stable median on a small CPU, short enough that the whole sweep fits in a few minutes.
 */
public record TimedLoop(double warmUpSeconds, double measureSeconds, int minRuns) {

    public record Result(int batchSize, int runs, double seconds, double imagesPerSecond,
                         double medianMs, double p90Ms, double minMs) {
    }

    public Result measure(BatchRunner runner, int batchSize) throws Exception {
        long warmUpEnd = System.nanoTime() + (long) (warmUpSeconds * 1e9);
        int warmUps = 0;
        while (warmUps < 2 || System.nanoTime() < warmUpEnd) {
            runner.run(batchSize);
            warmUps++;
        }
        List<Double> millis = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + (long) (measureSeconds * 1e9);
        while (millis.size() < minRuns || System.nanoTime() < end) {
            long t0 = System.nanoTime();
            runner.run(batchSize);
            millis.add((System.nanoTime() - t0) / 1e6);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Percentiles stats = Percentiles.of(millis);
        return new Result(batchSize, millis.size(), seconds, batchSize * millis.size() / seconds,
                stats.at(50), stats.at(90), stats.at(0));
    }
}
