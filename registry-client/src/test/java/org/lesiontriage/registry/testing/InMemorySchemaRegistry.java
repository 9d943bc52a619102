package org.lesiontriage.registry.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.registry.RegistrySerdeException;
import org.lesiontriage.registry.SchemaRegistry;

/**
 * A schema registry in memory, for the fast test rung: serdes configured with {@code schema.registry.url=mem://NAME}
 * share the registry called NAME within the JVM. Ids are global per schema, as in Confluent's registry; lookups and
 * unknown ids fail with the reason codes a real registry gives. It does not check compatibility: the tests against
 * the real registry (Apicurio) do.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private static final Map<String, InMemorySchemaRegistry> BY_NAME = new ConcurrentHashMap<>();

    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, Set<Schema>> subjects = new ConcurrentHashMap<>();

    /** The registry a {@code mem://NAME} URL names. */
    public static InMemorySchemaRegistry named(String name) {
        return BY_NAME.computeIfAbsent(name, n -> new InMemorySchemaRegistry());
    }

    /** A URL naming a registry of its own, for one test class. */
    public static String url(String name) {
        return "mem://" + name;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        int id = ids.computeIfAbsent(schema, s -> {
            int next = nextId.getAndIncrement();
            schemas.put(next, s);
            return next;
        });
        subjects.computeIfAbsent(subject, s -> ConcurrentHashMap.newKeySet()).add(schema);
        return id;
    }

    @Override
    public int lookup(String subject, Schema schema) {
        if (!subjects.getOrDefault(subject, Set.of()).contains(schema)) {
            throw new RegistrySerdeException(ReasonCode.SCHEMA_NOT_REGISTERED,
                    "Schema not registered under subject " + subject + " (in-memory registry)");
        }
        return ids.get(schema);
    }

    @Override
    public Schema schemaById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new RegistrySerdeException(ReasonCode.UNKNOWN_SCHEMA_ID, "Unknown schema id " + id + " (in-memory registry)");
        }
        return schema;
    }
}
