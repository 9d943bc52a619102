package org.lesiontriage.deploy.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;

/** Reading the vendored schema files, and turning validation errors into messages. */
final class SchemaResources {

    private SchemaResources() {
    }

    static String read(String name) {
        try (InputStream in = SchemaResources.class.getResourceAsStream("/schemas/" + name)) {
            if (in == null) {
                throw new IllegalStateException("schema file schemas/" + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schemas/" + name, e);
        }
    }

    static Schema compile(SpecificationVersion version, JsonNode schema) {
        return SchemaRegistry.withDefaultDialect(version).getSchema(schema);
    }

    /** A schema whose relative $id needs a base: the vendored file's own name under a local scheme. */
    static Schema compile(SpecificationVersion version, String file, JsonNode schema) {
        return SchemaRegistry.withDefaultDialect(version).getSchema(SchemaLocation.of("urn:vendored:" + file), schema);
    }

    /** Each error as "where: what", prefixed with the object it is about. */
    static List<String> messages(String subject, List<Error> errors) {
        return errors.stream().map(e -> subject + ": " + e.toString()).toList();
    }

    /** Applies {@code visit} to every sub-schema below {@code schema} (properties, items, combinators). */
    static void eachSubschema(JsonNode schema, Function<JsonNode, Boolean> visit) {
        if (!schema.isObject() || !visit.apply(schema)) {
            return;
        }
        schema.path("properties").values().forEach(child -> eachSubschema(child, visit));
        eachSubschema(schema.path("items"), visit);
        eachSubschema(schema.path("additionalProperties"), visit);
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            StreamSupport.stream(schema.path(combinator).spliterator(), false)
                    .forEach(child -> eachSubschema(child, visit));
        }
    }
}
