package org.lesiontriage.triage.topology;

/** An input that will never be triaged as it is; it becomes a dead letter with this reason code. */
public final class RejectedInputException extends Exception {

    private final String reasonCode;
    private final String eventId;

    public RejectedInputException(String reasonCode, String message, String eventId) {
        super(message, null, false, false);
        this.reasonCode = reasonCode;
        this.eventId = eventId;
    }

    public String reasonCode() {
        return reasonCode;
    }

    /** The event id, where the record could be read that far; else null. */
    public String eventId() {
        return eventId;
    }
}
