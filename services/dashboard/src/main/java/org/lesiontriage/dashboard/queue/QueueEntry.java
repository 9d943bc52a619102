package org.lesiontriage.dashboard.queue;

import java.util.Comparator;
import org.lesiontriage.common.queue.QueueOrder;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;

/**
 * What the dashboard keeps of one TriageResult: what the queue shows, and where its image is (the record key and
 * timestamp, which the service copies from the input record). The probabilities of the other classes are dropped.
 */
public record QueueEntry(String eventId, String caseRef, String clinicId, TriagePriority priority,
                         double melanomaProbability, double threshold, String modelName, String modelVersion,
                         long receivedAtMs, long scoredAtMs, long recordTimestampMs) {

    /** The clinician's queue: URGENT first (the viewer's rank), then the longest waiting first. */
    public static final Comparator<QueueEntry> QUEUE_ORDER = Comparator
            .comparingInt((QueueEntry e) -> QueueOrder.priorityRank(e.priority()))
            .thenComparingLong(QueueEntry::receivedAtMs)
            .thenComparing(QueueEntry::eventId);

    public static QueueEntry of(TriageResult result, long recordTimestampMs) {
        return new QueueEntry(result.getEventId().toString(), result.getCaseRef(), result.getClinicId(),
                result.getPriority(), result.getMelanomaProbability(), result.getThreshold(),
                result.getModel().getName(), result.getModel().getVersion(), result.getReceivedAt().toEpochMilli(),
                result.getScoredAt().toEpochMilli(), recordTimestampMs);
    }
}
