package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import java.nio.ByteBuffer;

/**
 * The Confluent wire format: one magic byte 0, the schema id as a 4-byte big-endian int, then the Avro binary
 * encoding of the record with that schema.
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_LENGTH = 5;

    private ConfluentWireFormat() {
    }

    /** The 5-byte header for a record written with schema {@code schemaId}. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /** The schema id from the header of {@code data}; throws if the bytes cannot be in the wire format. */
    public static int schemaId(byte[] data) {
        if (data == null || data.length == 0) {
            throw new RegistrySerdeException(ReasonCode.NOT_WIRE_FORMAT, "Empty value, expected the " + HEADER_LENGTH + "-byte schema registry header");
        }
        if (data.length < HEADER_LENGTH) {
            throw new RegistrySerdeException(ReasonCode.NOT_WIRE_FORMAT, "Value of " + data.length + " bytes is shorter than the "
                    + HEADER_LENGTH + "-byte schema registry header");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new RegistrySerdeException(ReasonCode.NOT_WIRE_FORMAT, "Magic byte is " + (data[0] & 0xff) + ", expected " + MAGIC_BYTE
                    + "; the value was not written by a schema registry serializer");
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }
}
