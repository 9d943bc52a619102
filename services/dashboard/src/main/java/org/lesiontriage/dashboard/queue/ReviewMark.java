package org.lesiontriage.dashboard.queue;

import org.lesiontriage.contracts.CaseReview;
import org.lesiontriage.contracts.ReviewAction;

/** The latest review of a case: its results received up to reviewedThroughMs are reviewed, unless reopened. */
public record ReviewMark(String caseRef, ReviewAction action, long reviewedThroughMs, String reviewer,
                         long reviewedAtMs) {

    public static ReviewMark of(CaseReview review) {
        return new ReviewMark(review.getCaseRef(), review.getAction(), review.getReviewedThrough().toEpochMilli(),
                review.getReviewer(), review.getReviewedAt().toEpochMilli());
    }

    public boolean covers(QueueEntry entry) {
        return action == ReviewAction.REVIEWED && entry.receivedAtMs() <= reviewedThroughMs;
    }
}
