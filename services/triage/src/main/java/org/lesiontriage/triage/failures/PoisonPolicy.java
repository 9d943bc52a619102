package org.lesiontriage.triage.failures;

/**
 * How many times one record may fail before it is set aside as a {@code REPEATED_FAILURE} dead letter, and how
 * many records a task processes one at a time (each in its own transaction) after it restarts without having
 * made progress, to find the record that made it fail.
 */
public record PoisonPolicy(int maxAttempts, int carefulRecords) {

    public static final PoisonPolicy DEFAULT = new PoisonPolicy(3, 200);

    public PoisonPolicy {
        if (maxAttempts < 1 || carefulRecords < 1) {
            throw new IllegalArgumentException("max attempts and careful records must be at least 1");
        }
    }
}
