package org.lesiontriage.triage.topology;

import org.apache.kafka.common.serialization.Deserializer;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Modality;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.registry.RegistrySerdeException;
import org.lesiontriage.triage.failures.RejectedInputException;

/**
 * Turns raw record bytes into a checked LesionImageEvent, or says why not. Deserializing here rather than in
 * the source's serde is what lets a bad record become a dead letter with its original bytes.
 */
public final class LesionEventReader {

    private final Deserializer<LesionImageEvent> deserializer;

    public LesionEventReader(Deserializer<LesionImageEvent> deserializer) {
        this.deserializer = deserializer;
    }

    /**
     * @throws RejectedInputException for input that is wrong in itself
     * @throws RegistrySerdeException when transient (registry unreachable): the record must be retried, not rejected
     */
    public LesionImageEvent read(String topic, byte[] value) throws RejectedInputException {
        if (value == null) {
            throw new RejectedInputException(ReasonCode.MISSING_VALUE, "Record has no value (tombstone)", null);
        }
        LesionImageEvent event;
        try {
            event = deserializer.deserialize(topic, value);
        } catch (RegistrySerdeException e) {
            if (e.isTransient()) {
                throw e;
            }
            throw new RejectedInputException(e.reason(), e.getMessage(), null);
        }
        check(event);
        return event;
    }

    private static void check(LesionImageEvent event) throws RejectedInputException {
        // event_id is a uuid logical type: a malformed one already fails deserialization as SCHEMA_MISMATCH.
        String eventId = String.valueOf(event.getEventId());
        if (isBlank(event.getClinicId())) {
            throw missing("clinic_id", eventId);
        }
        if (isBlank(event.getCaseRef())) {
            throw missing("case_ref", eventId);
        }
        if (isBlank(event.getMediaType())) {
            throw missing("media_type", eventId);
        }
        if (event.getModality() != Modality.DERMOSCOPIC) {
            throw new RejectedInputException(ReasonCode.MODALITY_NOT_VALIDATED, "Modality " + event.getModality()
                    + " is outside the model's validation (dermoscopic images only): not triaged, review it directly",
                    eventId);
        }
    }

    private static RejectedInputException missing(String field, String eventId) {
        return new RejectedInputException(ReasonCode.MISSING_FIELD, "Required field " + field + " is blank", eventId);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
