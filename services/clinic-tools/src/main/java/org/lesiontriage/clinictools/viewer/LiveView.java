package org.lesiontriage.clinictools.viewer;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import org.lesiontriage.contracts.TriageResult;

/**
 * The live triage queue. On a terminal the screen is redrawn with the top of the queue; in a log, one line of
 * counts per tick, so the output stays readable in CI.
 */
final class LiveView {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String CLEAR_SCREEN = "\033[H\033[2J";
    private static final String ROW = "%-10s %-18s %12s %-8s %-24s %10s%n";

    private final PrintStream out;
    private final boolean interactive;
    private final int top;

    LiveView(PrintStream out, boolean interactive, int top) {
        this.out = out;
        this.interactive = interactive;
        this.top = top;
    }

    void render(RunCollector run, double elapsedSeconds) {
        if (!interactive) {
            out.printf("%s  results %d  urgent %d  dead letters %d%s%n", CLOCK.format(LocalTime.now()),
                    run.results().size(), run.urgent(), run.deadLetters().size(),
                    run.ignored() > 0 ? "  ignored " + run.ignored() : "");
            out.flush();
            return;
        }
        StringBuilder screen = new StringBuilder(CLEAR_SCREEN);
        screen.append(String.format("Triage queue: %d results, %d urgent, %d dead letters   (%.0fs, Ctrl-C stops)%n%n",
                run.results().size(), run.urgent(), run.deadLetters().size(), elapsedSeconds));
        screen.append(String.format(ROW, "clinic", "case", "p(melanoma)", "priority", "model", "latency"));
        for (TriageResult r : run.topOfQueue(top)) {
            long latency = r.getScoredAt().toEpochMilli() - r.getCapturedAt().toEpochMilli();
            screen.append(String.format(ROW, r.getClinicId(), r.getCaseRef(),
                    String.format("%.4f", r.getMelanomaProbability()), r.getPriority(),
                    r.getModel().getName() + " " + r.getModel().getVersion(), latency + " ms"));
        }
        out.print(screen);
        out.flush();
    }
}
