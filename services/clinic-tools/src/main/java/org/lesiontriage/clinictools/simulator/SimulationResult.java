package org.lesiontriage.clinictools.simulator;

import java.util.Map;

/** What a publishing run achieved; {@code notSent} counts images skipped after a run was aborted. */
public record SimulationResult(long total, long sent, long failed, long notSent, long bytes, double seconds,
        Map<String, Long> failureReasons) {

    public boolean succeeded() {
        return failed == 0 && notSent == 0;
    }

    public double eventsPerSecond() {
        return seconds > 0 ? sent / seconds : 0;
    }
}
