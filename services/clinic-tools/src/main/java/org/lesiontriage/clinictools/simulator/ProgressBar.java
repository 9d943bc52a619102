package org.lesiontriage.clinictools.simulator;

import java.io.PrintStream;
import org.lesiontriage.clinictools.cli.Durations;

/**
 * Progress of a publishing run on stderr: redrawn in place on a terminal, one line per tenth of the run
 * otherwise (so a CI log stays short).
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final int total;
    private final PrintStream err;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private int lastTenth;

    ProgressBar(int total, PrintStream err, boolean interactive) {
        this.total = total;
        this.err = err;
        this.interactive = interactive;
    }

    /** Called after every completed send (acknowledged or failed); draws only when something visible changed. */
    synchronized void update(long done, long failed) {
        long now = System.nanoTime();
        if (interactive) {
            if (now - lastDrawNanos >= REDRAW_NANOS || done == total) {
                lastDrawNanos = now;
                err.print("\r" + line(done, failed, now) + "   ");
                err.flush();
            }
            return;
        }
        int tenth = total == 0 ? 10 : (int) (done * 10 / total);
        if (tenth > lastTenth) {
            lastTenth = tenth;
            err.println(line(done, failed, now));
        }
    }

    synchronized void finish() {
        if (interactive) {
            err.println();
        }
    }

    private String line(long done, long failed, long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        int filled = total == 0 ? WIDTH : (int) (done * WIDTH / total);
        return String.format("[%s%s] %d/%d  %.1f events/s  ETA %s%s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, rate,
                done == total ? "0s" : Durations.format(eta), failed > 0 ? "  failed " + failed : "");
    }
}
