package org.lesiontriage.clinictools.viewer;

import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.TriageResult;

/** One record read from the service's output topics. */
sealed interface TriageRecord {

    /** event_id of the input event, or null where the service could not read it. */
    String eventId();

    record Scored(TriageResult result) implements TriageRecord {
        @Override
        public String eventId() {
            return result.getEventId().toString();
        }
    }

    record Failed(DeadLetter deadLetter) implements TriageRecord {
        @Override
        public String eventId() {
            return deadLetter.getEventId();
        }
    }

    /** A record the viewer could not deserialize: counted and shown, never fatal. */
    record Unreadable(String topic, String reason) implements TriageRecord {
        @Override
        public String eventId() {
            return null;
        }
    }
}
