package org.lesiontriage.triage.health;

/**
 * Turns successive observations of (lag, committed offsets) into "stalled since": input waits and the committed
 * position does not move. Pure logic with the clock passed in, so the rule is tested on its own.
 */
final class ProgressTracker {

    private long lastCommitted = -1;
    private long progressAtMs;
    private long unreachableSinceMs = -1;
    private InputProgress current = InputProgress.UNKNOWN;

    synchronized InputProgress observed(long lag, long committed, long nowMs) {
        unreachableSinceMs = -1;
        if (committed != lastCommitted || lag == 0) {
            lastCommitted = committed;
            progressAtMs = nowMs;
        }
        current = new InputProgress(lag, lag > 0 ? nowMs - progressAtMs : 0, 0);
        return current;
    }

    /** The broker did not answer: progress cannot be seen, and how long that lasts is itself a health signal. */
    synchronized InputProgress unreachable(long nowMs) {
        if (unreachableSinceMs < 0) {
            unreachableSinceMs = nowMs;
        }
        long stalled = current.lag() > 0 ? nowMs - progressAtMs : 0;
        current = new InputProgress(current.lag(), stalled, nowMs - unreachableSinceMs);
        return current;
    }

    synchronized InputProgress current() {
        return current;
    }
}
