package org.lesiontriage.registry;

/** The bytes are not in the Confluent wire format: empty, shorter than the header, or a magic byte other than 0. */
public final class NotWireFormatException extends RegistrySerdeException {

    public static final String REASON = "NOT_WIRE_FORMAT";

    public NotWireFormatException(String message) {
        this(message, null);
    }

    public NotWireFormatException(String message, Throwable cause) {
        super(REASON, false, message, cause);
    }
}
