package org.lesiontriage.registry;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.avro.Schema;
import org.lesiontriage.contracts.ReasonCode;

/**
 * Walks an Avro binary body with its writer schema before anything decodes it, and refuses one whose declared
 * sizes its own bytes cannot hold.
 *
 * <p>Avro's decoder allocates what a length prefix declares before it reads the bytes: a 40-byte record that
 * declares a string of a billion bytes costs a gigabyte (or an OutOfMemoryError, every time the record is read
 * again). Avro's own limits are JVM-wide system properties; this check bounds every string, bytes, fixed and
 * collection by what is left of the record itself, so nothing a record makes the decoder allocate exceeds the
 * record's size. Collections of items that take no bytes (null, empty records) are bounded by the record's
 * length too, so a declared count cannot make the decoder loop for ever either.
 */
final class AvroBodyBounds {

    private final byte[] data;
    private final int end;
    private final int length;
    private int position;
    /** Items of zero-byte types seen so far: bounded by the record's length, as each costs the decoder work. */
    private long emptyItems;

    private AvroBodyBounds(byte[] data, int offset, int length) {
        this.data = data;
        this.position = offset;
        this.end = offset + length;
        this.length = length;
    }

    /**
     * @throws RegistrySerdeException {@link ReasonCode#DECLARED_SIZE_BEYOND_RECORD} when a declared size exceeds
     *                                what is left of the record, {@link ReasonCode#SCHEMA_MISMATCH} when the body
     *                                is otherwise not of the schema (bad union or enum index, bytes left over)
     */
    static void require(Schema writer, byte[] data, int offset, int length) {
        AvroBodyBounds walk = new AvroBodyBounds(data, offset, length);
        walk.value(writer);
        if (walk.position != walk.end) {
            throw mismatch((walk.end - walk.position) + " bytes left over after the record");
        }
    }

    /** A schema still to walk {@code times} times; a map's items are entries: a string key, then the value. */
    private static final class Pending {
        final Schema schema;
        final boolean mapEntry;
        long times;

        Pending(Schema schema, boolean mapEntry, long times) {
            this.schema = schema;
            this.mapEntry = mapEntry;
            this.times = times;
        }
    }

    private void value(Schema root) {
        // An explicit stack, not recursion: a recursive schema nests as deep as the data says, and the walk must
        // not overflow the thread's stack. Repeated items are one entry with a count, not one entry each.
        Deque<Pending> todo = new ArrayDeque<>();
        todo.push(new Pending(root, false, 1));
        while (!todo.isEmpty()) {
            Pending next = todo.peek();
            if (--next.times == 0) {
                todo.pop();
            }
            if (next.mapEntry) {
                skip(declaredLength("map key"), "map key");
            }
            Schema schema = next.schema;
            switch (schema.getType()) {
                case NULL -> { }
                case BOOLEAN -> skip(1, "boolean");
                case INT, LONG -> readLong();
                case FLOAT -> skip(4, "float");
                case DOUBLE -> skip(8, "double");
                case STRING, BYTES -> skip(declaredLength(schema.getType().getName()), schema.getType().getName());
                case FIXED -> skip(schema.getFixedSize(), "fixed " + schema.getFullName());
                case ENUM -> index(schema.getEnumSymbols().size(), "enum " + schema.getFullName());
                case UNION -> todo.push(new Pending(schema.getTypes().get(index(schema.getTypes().size(), "union")),
                        false, 1));
                case RECORD -> {
                    List<Schema.Field> fields = schema.getFields();
                    for (int i = fields.size() - 1; i >= 0; i--) {
                        todo.push(new Pending(fields.get(i).schema(), false, 1));
                    }
                }
                case ARRAY -> block(todo, schema, schema.getElementType(), false);
                case MAP -> block(todo, schema, schema.getValueType(), true);
            }
        }
    }

    /**
     * Reads one block header of an array or map. Its items are walked next, then the collection again, which
     * reads the following block header, until the block of count 0 that ends it.
     */
    private void block(Deque<Pending> todo, Schema collection, Schema item, boolean map) {
        long count = readLong();
        if (count == 0) {
            return;
        }
        if (count < 0) {
            if (count == Long.MIN_VALUE) {
                throw beyond("collection of 2^63 items");
            }
            count = -count; // a negative count is followed by the block's size in bytes
            long blockBytes = readLong();
            if (blockBytes < 0 || blockBytes > remaining()) {
                throw beyond("collection block of " + blockBytes + " bytes");
            }
        }
        long minItemBytes = minimumBytes(item) + (map ? 1 : 0);
        if (minItemBytes == 0) {
            emptyItems += count;
            if (emptyItems > length) {
                throw beyond("collection of " + count + " items that take no bytes");
            }
        } else if (count > remaining() / minItemBytes) {
            throw beyond("collection of " + count + " items");
        }
        todo.push(new Pending(collection, false, 1));
        todo.push(new Pending(item, map, count));
    }

    /** The fewest bytes an encoded value of this schema can take: bounds how many items a block can hold. */
    private static long minimumBytes(Schema schema) {
        return switch (schema.getType()) {
            case NULL -> 0;
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case FIXED -> schema.getFixedSize();
            case RECORD -> schema.getFields().stream().mapToLong(f -> minimumBytes(f.schema())).sum();
            default -> 1; // every varint, length prefix, index and block terminator takes at least one byte
        };
    }

    private int index(int size, String what) {
        long index = readLong();
        if (index < 0 || index >= size) {
            throw mismatch(what + " index " + index + " outside 0.." + (size - 1));
        }
        return (int) index;
    }

    private long declaredLength(String what) {
        long length = readLong();
        if (length < 0) {
            throw beyond(what + " of negative length " + length);
        }
        return length;
    }

    private void skip(long bytes, String what) {
        if (bytes > remaining()) {
            throw beyond(what + " of " + bytes + " bytes with " + remaining() + " left in the record");
        }
        position += (int) bytes;
    }

    private long remaining() {
        return end - position;
    }

    /** Avro's zig-zag varint, at most 10 bytes. */
    private long readLong() {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw mismatch("the record ends inside a number");
            }
            int b = data[position++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw mismatch("a number longer than 10 bytes");
    }

    private static RegistrySerdeException beyond(String what) {
        return new RegistrySerdeException(ReasonCode.DECLARED_SIZE_BEYOND_RECORD,
                "The body declares a " + what + ", more than the record holds");
    }

    private static RegistrySerdeException mismatch(String what) {
        return new RegistrySerdeException(ReasonCode.SCHEMA_MISMATCH, "The body does not follow its writer schema: "
                + what);
    }
}
