package org.lesiontriage.dashboard.rollout;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lesiontriage.common.compare.ResultComparison;
import org.lesiontriage.common.compare.ScoredEvent;

/**
 * The scores of the newest results of one topic by event id, bounded: at most {@code cap} events and none received
 * more than {@code maxAgeMs} ago, whichever is fewer (the oldest read go first). It remembers the newest time of
 * an event it let go, so a window that reaches back past it is known to be incomplete.
 *
 * <p>Thread-safe: the topic reader writes, the operator view reads.
 */
public final class ScoreStore {

    /** Clinic ids and model names are shared between events: a few strings, not one per event. */
    private static final int MAX_SHARED_NAMES = 10_000;

    private final int cap;
    private final long maxAgeMs;
    private final LinkedHashMap<String, ScoredEvent> byEventId = new LinkedHashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private long newestLetGoMs = Long.MIN_VALUE;

    public ScoreStore(int cap, long maxAgeMs) {
        if (cap < 1 || maxAgeMs < 1) {
            throw new IllegalArgumentException("a score store keeps at least one event for a positive time: cap " + cap
                    + ", max age " + maxAgeMs + " ms");
        }
        this.cap = cap;
        this.maxAgeMs = maxAgeMs;
    }

    /** Adds an event's score (a record read twice keeps its last score); one older than the max age is let go. */
    public synchronized void add(String eventId, double melanomaProbability, boolean urgent, String model,
                                 String clinicId, long receivedAtMs, long nowMs) {
        if (receivedAtMs < nowMs - maxAgeMs) {
            letGo(receivedAtMs);
            return;
        }
        byEventId.put(eventId, new ScoredEvent(eventId, melanomaProbability, urgent, shared(model), shared(clinicId),
                receivedAtMs));
        while (byEventId.size() > cap) {
            removeEldest();
        }
        trim(nowMs);
    }

    /** The events received in {@code [fromMs, toMs)} (a copy). */
    public synchronized Map<String, ScoredEvent> within(long fromMs, long toMs, long nowMs) {
        trim(nowMs);
        return ResultComparison.within(byEventId, fromMs, toMs);
    }

    /** The newest received time of an event this store let go (for the cap or its age); MIN_VALUE when none. */
    public synchronized long newestLetGoMs() {
        return newestLetGoMs;
    }

    public synchronized int size() {
        return byEventId.size();
    }

    public int cap() {
        return cap;
    }

    /** Lets go of the oldest read events while they are older than the max age. */
    private void trim(long nowMs) {
        Iterator<ScoredEvent> oldest = byEventId.values().iterator();
        while (oldest.hasNext()) {
            ScoredEvent event = oldest.next();
            if (event.receivedAtMs() >= nowMs - maxAgeMs) {
                return;
            }
            oldest.remove();
            letGo(event.receivedAtMs());
        }
    }

    private void removeEldest() {
        Iterator<ScoredEvent> eldest = byEventId.values().iterator();
        letGo(eldest.next().receivedAtMs());
        eldest.remove();
    }

    private void letGo(long receivedAtMs) {
        newestLetGoMs = Math.max(newestLetGoMs, receivedAtMs);
    }

    private String shared(String name) {
        if (name == null) {
            return null;
        }
        String known = names.get(name);
        if (known != null) {
            return known;
        }
        if (names.size() < MAX_SHARED_NAMES) {
            names.put(name, name);
        }
        return name;
    }
}
