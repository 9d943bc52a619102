package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Checks, before decoding, that data written with a writer schema can be read with the reader's schema, so that an
 * incompatible writer is reported with the reason rather than as a decoding error on some later field.
 */
final class WriterSchemaResolution {

    private WriterSchemaResolution() {
    }

    /** Throws a MISSING_FIELD failure or a SCHEMA_MISMATCH failure if the writer cannot be read. */
    static void requireReadable(Schema reader, Schema writer, int writerId) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        List<Incompatibility> problems = result.getResult().getIncompatibilities();
        if (problems.isEmpty()) {
            return;
        }
        String described = problems.stream()
                .map(p -> p.getType() + " at " + fieldPath(reader, p.getLocation()) + " (" + p.getMessage() + ")")
                .collect(Collectors.joining("; "));
        String message = "Writer schema id " + writerId + " (" + writer.getFullName() + ") cannot be read as "
                + reader.getFullName() + ": " + described;
        boolean onlyMissingFields = problems.stream()
                .allMatch(p -> p.getType() == SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);
        if (onlyMissingFields) {
            throw new RegistrySerdeException(ReasonCode.MISSING_FIELD, message);
        }
        throw new RegistrySerdeException(ReasonCode.SCHEMA_MISMATCH, message, null);
    }

    /**
     * Turns Avro's JSON-pointer location into the reader schema (e.g. {@code /fields/9/type}) into field names
     * (e.g. {@code schema_version}), which is what a reader of the error needs.
     */
    static String fieldPath(Schema reader, String location) {
        try {
            return namedPath(reader, location);
        } catch (RuntimeException unexpectedLocation) {
            return location;
        }
    }

    private static String namedPath(Schema reader, String location) {
        List<String> names = new java.util.ArrayList<>();
        Schema current = reader;
        String[] tokens = location.split("/");
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.equals("fields") && i + 1 < tokens.length && current.getType() == Schema.Type.RECORD) {
                Schema.Field field = current.getFields().get(Integer.parseInt(tokens[++i]));
                names.add(field.name());
                current = field.schema();
            } else if (token.equals("items") && current.getType() == Schema.Type.ARRAY) {
                current = current.getElementType();
            } else if (token.equals("values") && current.getType() == Schema.Type.MAP) {
                current = current.getValueType();
            } else if (token.matches("\\d+") && current.getType() == Schema.Type.UNION) {
                current = current.getTypes().get(Integer.parseInt(token));
            }
        }
        return names.isEmpty() ? location : String.join(".", names);
    }
}
