package org.lesiontriage.triage.rescore;

import java.time.Instant;
import java.util.Locale;

/**
 * A snapshot of a job for the command's progress bar and the REST status.
 *
 * @param done            events of the range committed as answered (results and dead letters visible to readers)
 * @param eventsPerSecond rate of this run so far
 * @param etaSeconds      time left at that rate; null while unknown
 * @param message         why a job failed or was cancelled; null otherwise
 * @param report          set once completed
 */
public record RescoreStatus(String jobId, RescoreState state, String modelVersion, long total, long done,
                           double eventsPerSecond, Double etaSeconds, Instant startedAt, String message,
                           RescoreReport report) {

    private static final int BAR_WIDTH = 30;

    public double fraction() {
        return total == 0 ? 1.0 : (double) done / total;
    }

    /** {@code [#########.....] 1200/4000 30.0%  181.2 events/s  ETA 15s}. */
    public String progressLine() {
        int filled = (int) Math.round(fraction() * BAR_WIDTH);
        String eta = etaSeconds == null ? "?" : Math.round(etaSeconds) + "s";
        return String.format(Locale.ROOT, "[%s%s] %d/%d %5.1f%%  %.1f events/s  ETA %s  %s", "#".repeat(filled),
                ".".repeat(BAR_WIDTH - filled), done, total, fraction() * 100, eventsPerSecond, eta,
                state.name().toLowerCase(Locale.ROOT));
    }
}
