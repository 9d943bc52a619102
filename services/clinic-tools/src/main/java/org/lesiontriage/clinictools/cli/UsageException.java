package org.lesiontriage.clinictools.cli;

/** A command line the tool cannot run with; the message is shown with a pointer to --help. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
