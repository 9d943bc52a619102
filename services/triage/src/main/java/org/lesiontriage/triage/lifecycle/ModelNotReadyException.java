package org.lesiontriage.triage.lifecycle;

/**
 * A task reached records of a version this instance has not (yet) loaded. Thrown out of the processor, it fails the
 * stream thread, which is replaced and resumes at the last commit: nothing scored with the wrong version, nothing
 * dropped.
 */
public final class ModelNotReadyException extends RuntimeException {

    public ModelNotReadyException(String message) {
        super(message);
    }
}
