package org.lesiontriage.registry.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.registry.ConfluentWireFormat;

/**
 * Avro bodies of image events that lie about their own sizes, written byte by byte: the classes of input that made
 * Avro's decoder allocate what a length prefix declares (found by reading its BinaryDecoder: strings, bytes,
 * fixed, array and map block counts, negative block counts with byte sizes, union and enum indexes, varints).
 *
 * <p>Each body is a LesionImageEvent as far as the lie, so the lie is what a reader meets. The collection classes
 * need a writer schema with collections: {@link #WRITER_WITH_COLLECTIONS}, a newer LesionImageEvent with optional
 * tags and attributes, which a reader of the current contract must still walk through to skip.
 */
public final class HostileAvroBodies {

    /** LesionImageEvent plus an array of strings, an array of nulls and a map of strings, all with defaults. */
    public static final Schema WRITER_WITH_COLLECTIONS = withCollections(LesionImageEvent.getClassSchema());

    /** One hostile body: its name, the reason the service must give, the schema it claims and its bytes. */
    public record Body(String name, ReasonCode expected, Schema writer, byte[] avro) {

        /** Wire format bytes under {@code schemaId}, the id of {@link #writer()} in the registry in use. */
        public byte[] framed(int schemaId) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(ConfluentWireFormat.header(schemaId));
            out.writeBytes(avro);
            return out.toByteArray();
        }
    }

    private static final long BILLION = 1_000_000_000L;

    private HostileAvroBodies() {
    }

    public static List<Body> all() {
        Schema event = LesionImageEvent.getClassSchema();
        ReasonCode beyond = ReasonCode.DECLARED_SIZE_BEYOND_RECORD;
        return List.of(
                new Body("string-length-beyond-record", beyond, event, body(w -> w.length(BILLION).text("x"))),
                new Body("string-negative-length", beyond, event, body(w -> w.text(uuid()).length(-5))),
                new Body("bytes-length-beyond-record", beyond, event,
                        body(w -> prefixToImage(w).length(Integer.MAX_VALUE - 8).raw(new byte[16]))),
                new Body("bytes-negative-length", beyond, event, body(w -> prefixToImage(w).length(-1))),
                new Body("union-index-out-of-range", ReasonCode.SCHEMA_MISMATCH, event,
                        body(w -> prefixToImage(w).text("ab").varLong(0).varLong(7))),
                new Body("enum-index-out-of-range", ReasonCode.SCHEMA_MISMATCH, event,
                        body(w -> prefixToImage(w).text("ab").varLong(9))),
                new Body("varint-longer-than-ten-bytes", ReasonCode.SCHEMA_MISMATCH, event,
                        body(w -> w.text(uuid()).text("c").text("r").raw(new byte[] {
                                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1}))),
                new Body("array-count-beyond-record", beyond, WRITER_WITH_COLLECTIONS,
                        body(w -> completeEvent(w).varLong(1L << 40).text("t"))),
                new Body("array-negative-block-size-beyond-record", beyond, WRITER_WITH_COLLECTIONS,
                        body(w -> completeEvent(w).varLong(-3).varLong(BILLION).text("t"))),
                new Body("array-of-nulls-count-beyond-record", beyond, WRITER_WITH_COLLECTIONS,
                        body(w -> completeEvent(w).varLong(0).varLong(1L << 40).varLong(0))),
                new Body("map-count-beyond-record", beyond, WRITER_WITH_COLLECTIONS,
                        body(w -> completeEvent(w).varLong(0).varLong(0).varLong(1L << 40).text("k").text("v"))),
                new Body("map-key-length-beyond-record", beyond, WRITER_WITH_COLLECTIONS,
                        body(w -> completeEvent(w).varLong(0).varLong(0).varLong(1).length(BILLION).text("k"))),
                new Body("bytes-left-over", ReasonCode.SCHEMA_MISMATCH, event,
                        body(w -> completeEvent(w).raw(new byte[] {1, 2, 3}))));
    }

    private static String uuid() {
        return "5f0c3a52-8d7e-4a2b-9a51-3c2f1e0b7d64";
    }

    /** event_id, clinic_id, case_ref, captured_at and media_type: everything before the image bytes. */
    private static BodyWriter prefixToImage(BodyWriter w) {
        return w.text(uuid()).text("clinic-1").text("case-1").varLong(1_767_225_600_000L).text("image/png");
    }

    /** A whole, valid LesionImageEvent of the current contract (the image bytes need not decode). */
    private static BodyWriter completeEvent(BodyWriter w) {
        return prefixToImage(w).text("not an image").varLong(0).varLong(0).varLong(0).varLong(1);
    }

    private static byte[] body(Consumer<BodyWriter> write) {
        BodyWriter w = new BodyWriter();
        write.accept(w);
        return w.out.toByteArray();
    }

    private static Schema withCollections(Schema event) {
        String json = event.toString();
        String extra = ",{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"},\"default\":[]}"
                + ",{\"name\":\"flags\",\"type\":{\"type\":\"array\",\"items\":\"null\"},\"default\":[]}"
                + ",{\"name\":\"attributes\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}}";
        int fieldsEnd = json.lastIndexOf(']');
        return new Schema.Parser().parse(json.substring(0, fieldsEnd) + extra + json.substring(fieldsEnd));
    }

    /** Avro's binary encoding by hand, so that lengths can disagree with what follows. */
    private static final class BodyWriter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        BodyWriter varLong(long value) {
            long zigzag = (value << 1) ^ (value >> 63);
            while ((zigzag & ~0x7FL) != 0) {
                out.write((int) ((zigzag & 0x7F) | 0x80));
                zigzag >>>= 7;
            }
            out.write((int) zigzag);
            return this;
        }

        BodyWriter length(long declared) {
            return varLong(declared);
        }

        BodyWriter text(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            return varLong(utf8.length).raw(utf8);
        }

        BodyWriter raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }
    }
}
