package org.lesiontriage.triage.lifecycle;

/** An activation that was not written, and why (nothing changed). */
public final class ActivationRefusedException extends Exception {

    public ActivationRefusedException(String reason) {
        super(reason);
    }
}
