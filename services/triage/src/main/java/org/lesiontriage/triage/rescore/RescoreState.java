package org.lesiontriage.triage.rescore;

/** Where a re-score job is. CANCELLED and FAILED jobs resume from their last commit when started again. */
public enum RescoreState {
    STARTING, REPLAYING, COMPLETED, CANCELLED, FAILED;

    public boolean finished() {
        return this == COMPLETED || this == CANCELLED || this == FAILED;
    }
}
