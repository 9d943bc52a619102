package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.lesiontriage.registry.RegistryErrors.Operation;

/**
 * A schema registry client speaking the subset of the Confluent REST protocol that Confluent Schema Registry,
 * Apicurio (ccompat API), Karapace and Redpanda all implement. Answers are cached: a schema's id never changes, so
 * each schema costs one request per subject and each id one request in the life of the client.
 */
public final class SchemaRegistryClient implements SchemaRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryTransport transport;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistrySerdeConfig config) {
        this.transport = new RegistryTransport(config);
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> remember(post(Operation.REGISTER, subject,
                        "/subjects/" + encode(subject) + "/versions", schema), s));
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> remember(post(Operation.LOOKUP, subject,
                        "/subjects/" + encode(subject), schema), s));
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, this::fetch);
    }

    private int remember(int id, Schema schema) {
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    private int post(Operation operation, String subject, String path, Schema schema) {
        String what = (operation == Operation.REGISTER ? "registering" : "looking up")
                + " a schema under subject " + subject;
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO");
        RegistryTransport.Response response = transport.send(path, body.toString());
        if (response.status() != 200) {
            throw RegistryErrors.toException(response, operation, what);
        }
        JsonNode id = readJson(response, what).get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new RegistrySerdeException(ReasonCode.REGISTRY_ERROR, "Answer without a schema id while " + what + " at " + response.url());
        }
        return id.intValue();
    }

    private Schema fetch(int id) {
        String what = "fetching schema id " + id;
        RegistryTransport.Response response = transport.send("/schemas/ids/" + id, null);
        if (response.status() != 200) {
            throw RegistryErrors.toException(response, Operation.FETCH_BY_ID, what);
        }
        JsonNode answer = readJson(response, what);
        JsonNode type = answer.get("schemaType");
        if (type != null && !type.asText().equals("AVRO")) {
            throw new RegistrySerdeException(ReasonCode.SCHEMA_MISMATCH, "Schema id " + id + " is a " + type.asText() + " schema, not Avro", null);
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new RegistrySerdeException(ReasonCode.REGISTRY_ERROR, "Answer without a schema while " + what + " at " + response.url());
        }
        try {
            // Defaults are not re-validated: a registry may hold schemas from writers with laxer tooling.
            return new Schema.Parser().setValidateDefaults(false).parse(text.asText());
        } catch (SchemaParseException e) {
            throw new RegistrySerdeException(ReasonCode.SCHEMA_MISMATCH, "Schema id " + id + " from " + response.url()
                    + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    private static JsonNode readJson(RegistryTransport.Response response, String what) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new RegistrySerdeException(ReasonCode.REGISTRY_ERROR, "Answer is not JSON while " + what + " at " + response.url(), e);
        }
    }

    /** Percent-encodes a subject as one path segment. */
    static String encode(String subject) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : subject.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", (int) c));
            }
        }
        return encoded.toString();
    }
}
