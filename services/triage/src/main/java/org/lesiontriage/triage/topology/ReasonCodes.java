package org.lesiontriage.triage.topology;

/**
 * Reason codes the topology itself assigns to dead letters. The serde's codes (NOT_WIRE_FORMAT,
 * UNKNOWN_SCHEMA_ID, SCHEMA_MISMATCH, MISSING_FIELD, ...) and the imaging codes (IMAGE_*, *_MEDIA_TYPE) pass
 * through unchanged; docs/operations.md lists them all.
 */
public final class ReasonCodes {

    /** The record has no value (a tombstone). */
    public static final String MISSING_VALUE = "MISSING_VALUE";
    /** A required field is blank. */
    public static final String MISSING_FIELD = "MISSING_FIELD";
    /**
     * The image's modality is not dermoscopic: the model is validated on dermoscopy only, so a score would look
     * validated when it is not. Such images go to a clinician without a triage result.
     */
    public static final String MODALITY_NOT_VALIDATED = "MODALITY_NOT_VALIDATED";

    private ReasonCodes() {
    }
}
