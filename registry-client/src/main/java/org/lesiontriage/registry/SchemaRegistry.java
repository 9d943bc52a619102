package org.lesiontriage.registry;

import org.apache.avro.Schema;

/** What the serdes need of a schema registry; {@link SchemaRegistries#connect} finds the one a URL names. */
public interface SchemaRegistry {

    /** Registers {@code schema} under {@code subject} (a no-op on the registry if already there) and returns its id. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} under {@code subject} without registering it; throws if it is not registered. */
    int lookup(String subject, Schema schema);

    /** The schema with {@code id}; throws an UNKNOWN_SCHEMA_ID failure if the registry does not know it. */
    Schema schemaById(int id);
}
