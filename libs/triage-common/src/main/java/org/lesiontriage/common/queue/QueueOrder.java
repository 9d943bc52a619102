package org.lesiontriage.common.queue;

import java.util.Comparator;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;

/** The triage queue's order, shared by the terminal viewer and the dashboard: URGENT first. */
public final class QueueOrder {

    /** The viewer's order: URGENT first, then by p(melanoma), highest first. */
    public static final Comparator<TriageResult> URGENT_THEN_MELANOMA = Comparator
            .comparingInt((TriageResult r) -> priorityRank(r.getPriority()))
            .thenComparing(Comparator.comparingDouble(TriageResult::getMelanomaProbability).reversed());

    private QueueOrder() {
    }

    /** URGENT 0, ROUTINE 1, anything else 2: smaller comes first. */
    public static int priorityRank(TriagePriority priority) {
        return switch (priority) {
            case URGENT -> 0;
            case ROUTINE -> 1;
            default -> 2;
        };
    }
}
