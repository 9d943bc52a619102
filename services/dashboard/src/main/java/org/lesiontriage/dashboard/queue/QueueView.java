package org.lesiontriage.dashboard.queue;

import java.util.List;

/**
 * One push of the clinician's queue: the rows of the filter, and counts over the whole working set.
 *
 * @param version    the working set's version when the view was taken (changes with every change)
 * @param openTotal  open results held, all clinics
 * @param openUrgent open URGENT results held, all clinics
 * @param matching   cases matching the filter (rows holds at most the view's limit of them)
 * @param openDropped open results dropped to keep memory bounded (the least urgent, newest beyond the cap)
 * @param clinics    clinics with results in the working set, for the filter
 */
public record QueueView(long version, long nowMs, int openTotal, int openUrgent, int matching, long openDropped,
                        List<String> clinics, List<Row> rows) {

    /**
     * A queue row, as the page shows it: one case, headed by its most urgent image (whose figures these are), with
     * all of its images that match the filter, most urgent first.
     *
     * @param reviewEventId the case's newest image here: a review through it covers every image of the row
     * @param reviewed      whether every image of the row is reviewed
     */
    public record Row(String eventId, String caseRef, String clinicId, String priority, double melanomaProbability,
                      double threshold, String model, long receivedAtMs, boolean reviewed, String reviewer,
                      Long reviewedAtMs, String reviewEventId, List<Image> images) {
    }

    /** One image of a case's row. */
    public record Image(String eventId, String priority, double melanomaProbability, long receivedAtMs,
                        boolean reviewed) {
    }
}
