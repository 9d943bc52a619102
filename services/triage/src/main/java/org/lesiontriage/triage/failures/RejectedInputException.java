package org.lesiontriage.triage.failures;

import org.lesiontriage.contracts.ReasonCode;

/** An input that will never be triaged as it is; it becomes a dead letter with this reason code. */
public final class RejectedInputException extends Exception {

    private final ReasonCode reason;
    private final String eventId;

    public RejectedInputException(ReasonCode reason, String message, String eventId) {
        super(message, null, false, false);
        this.reason = reason;
        this.eventId = eventId;
    }

    public ReasonCode reason() {
        return reason;
    }

    /** The event id, where the record could be read that far; else null. */
    public String eventId() {
        return eventId;
    }
}
