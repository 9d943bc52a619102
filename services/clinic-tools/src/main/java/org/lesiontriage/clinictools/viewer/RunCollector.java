package org.lesiontriage.clinictools.viewer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.common.labels.LabelledEvent;
import org.lesiontriage.common.queue.QueueOrder;

/**
 * Everything the viewer has counted so far. With labels, only the events of that simulator run count, so
 * records of earlier runs on the same topics do not pollute its metrics; a repeated event id counts once
 * (a consumer may see a record twice after a rebalance).
 */
final class RunCollector {

    private final Map<String, LabelledEvent> labels;
    private final Set<String> seenEventIds = new HashSet<>();
    private final List<TriageResult> results = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Map<String, Long> unreadable = new TreeMap<>();
    private long ignored;

    /** @param labels the simulator's labels by event id, or null to count every record */
    RunCollector(Map<String, LabelledEvent> labels) {
        this.labels = labels;
    }

    /** Adds a record; true when it counted (it was new and belongs to the run). */
    boolean accept(TriageRecord record) {
        if (record instanceof TriageRecord.Unreadable u) {
            unreadable.merge(u.topic() + ": " + u.reason(), 1L, Long::sum);
            return labels == null;
        }
        String eventId = record.eventId();
        if (labels != null && (eventId == null || !labels.containsKey(eventId))) {
            ignored++;
            return false;
        }
        if (eventId != null && !seenEventIds.add(eventId)) {
            return false;
        }
        if (record instanceof TriageRecord.Scored s) {
            results.add(s.result());
        } else if (record instanceof TriageRecord.Failed f) {
            deadLetters.add(f.deadLetter());
        }
        return true;
    }

    List<TriageResult> topOfQueue(int n) {
        return results.stream().sorted(QueueOrder.URGENT_THEN_MELANOMA).limit(n).toList();
    }

    long counted() {
        return results.size() + deadLetters.size();
    }

    long urgent() {
        return results.stream().filter(r -> r.getPriority() == TriagePriority.URGENT).count();
    }

    List<TriageResult> results() {
        return results;
    }

    List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    Map<String, Long> unreadable() {
        return unreadable;
    }

    long ignored() {
        return ignored;
    }

    /** The labels, or null when none were given. */
    Map<String, LabelledEvent> labels() {
        return labels;
    }
}
