package org.lesiontriage.registry;

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

    /** Throws {@link MissingFieldException} or {@link SchemaMismatchException} if the writer cannot be read. */
    static void requireReadable(Schema reader, Schema writer, int writerId) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        List<Incompatibility> problems = result.getResult().getIncompatibilities();
        if (problems.isEmpty()) {
            return;
        }
        String described = problems.stream()
                .map(p -> p.getType() + " at " + p.getLocation() + " (" + p.getMessage() + ")")
                .collect(Collectors.joining("; "));
        String message = "Writer schema id " + writerId + " (" + writer.getFullName() + ") cannot be read as "
                + reader.getFullName() + ": " + described;
        boolean onlyMissingFields = problems.stream()
                .allMatch(p -> p.getType() == SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);
        if (onlyMissingFields) {
            throw new MissingFieldException(message);
        }
        throw new SchemaMismatchException(message, null);
    }
}
