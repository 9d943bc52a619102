package org.lesiontriage.security;

/**
 * A users or roles file that cannot be read, or an entry in it that is malformed; the message names the file and,
 * for an entry, its line, never the entry's value.
 */
public final class UsersFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    UsersFileException(String message) {
        super(message);
    }

    UsersFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
