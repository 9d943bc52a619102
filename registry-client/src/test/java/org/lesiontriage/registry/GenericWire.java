package org.lesiontriage.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Writes records of hand-made schema versions, standing in for publishers on older or newer contracts. */
final class GenericWire {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GenericWire() {
    }

    /** Wire format bytes of {@code record} written with its own schema, registered as {@code schemaId}. */
    static byte[] bytes(int schemaId, GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ConfluentWireFormat.header(schemaId));
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code schema} with one more field, given as JSON. */
    static Schema withField(Schema schema, String fieldJson) {
        ObjectNode tree = tree(schema);
        try {
            ((ArrayNode) tree.get("fields")).add(JSON.readTree(fieldJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Schema.Parser().parse(tree.toString());
    }

    /** {@code schema} without the named fields. */
    static Schema withoutFields(Schema schema, String... names) {
        ObjectNode tree = tree(schema);
        ArrayNode fields = (ArrayNode) tree.get("fields");
        for (String name : names) {
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).get("name").asText().equals(name)) {
                    fields.remove(i);
                }
            }
        }
        return new Schema.Parser().parse(tree.toString());
    }

    private static ObjectNode tree(Schema schema) {
        try {
            return (ObjectNode) JSON.readTree(schema.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
