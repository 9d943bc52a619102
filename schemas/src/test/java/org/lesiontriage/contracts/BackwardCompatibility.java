package org.lesiontriage.contracts;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/** BACKWARD compatibility, the registry's policy: consumers on the new schema can read data written with the old one. */
final class BackwardCompatibility {

    private BackwardCompatibility() {
    }

    /** Why {@code current} cannot read data written with {@code previous}; empty when it can. */
    static List<String> problems(Schema current, Schema previous) {
        return SchemaCompatibility.checkReaderWriterCompatibility(current, previous).getResult()
                .getIncompatibilities().stream()
                .map(p -> p.getType() + " at " + p.getLocation() + ": " + p.getMessage())
                .toList();
    }
}
