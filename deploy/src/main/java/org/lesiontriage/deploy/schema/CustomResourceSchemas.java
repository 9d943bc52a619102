package org.lesiontriage.deploy.schema;

import com.networknt.schema.Schema;
import com.networknt.schema.SpecificationVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lesiontriage.deploy.YamlDocuments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Custom resources validated against the openAPIV3Schema of their CustomResourceDefinition, read as the API server
 * reads a structural schema: fields not in the schema are errors unless it preserves unknown fields,
 * x-kubernetes-int-or-string takes both, nullable takes null. CEL rules (x-kubernetes-validations) are not run.
 */
public final class CustomResourceSchemas {

    /** The vendored CRDs (schemas/README.md says where each comes from). */
    static final List<String> DEFINITIONS = List.of(
            "strimzi-1.2.0/043-Crd-kafkatopic.yaml",
            "strimzi-1.2.0/044-Crd-kafkauser.yaml",
            "keda-2.20.2/keda.sh_scaledobjects.yaml",
            "keda-2.20.2/keda.sh_triggerauthentications.yaml",
            "prometheus-operator-0.93.0/monitoring.coreos.com_prometheusrules.yaml",
            "prometheus-operator-0.93.0/monitoring.coreos.com_servicemonitors.yaml");

    private final Map<String, Schema> byKind = new HashMap<>();

    public static CustomResourceSchemas load() {
        CustomResourceSchemas schemas = new CustomResourceSchemas();
        for (String file : DEFINITIONS) {
            JsonNode crd = YamlDocuments.parse(SchemaResources.read(file)).get(0);
            String group = crd.at("/spec/group").asString("");
            String kind = crd.at("/spec/names/kind").asString("");
            for (JsonNode version : crd.at("/spec/versions")) {
                if (version.path("served").asBoolean(false)) {
                    JsonNode schema = version.at("/schema/openAPIV3Schema").deepCopy();
                    structural(schema);
                    schemas.byKind.put(group + "/" + version.path("name").asString("") + " " + kind,
                            SchemaResources.compile(SpecificationVersion.DRAFT_4, schema));
                }
            }
        }
        return schemas;
    }

    public Optional<List<String>> validate(String subject, JsonNode object) {
        Schema schema = byKind.get(object.path("apiVersion").asString("") + " " + object.path("kind").asString(""));
        return Optional.ofNullable(schema).map(s -> SchemaResources.messages(subject, s.validate(object)));
    }

    private static void structural(JsonNode schema) {
        SchemaResources.eachSubschema(schema, node -> {
            ObjectNode object = (ObjectNode) node;
            if (object.path("x-kubernetes-int-or-string").asBoolean(false)) {
                object.remove("type");
                ArrayNode anyOf = object.putArray("anyOf");
                anyOf.addObject().put("type", "integer");
                anyOf.addObject().put("type", "string");
            }
            if (object.path("nullable").asBoolean(false) && object.path("type").isString()) {
                String type = object.path("type").asString();
                object.putArray("type").add(type).add("null");
            }
            boolean open = object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (!open && object.has("properties") && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            return true;
        });
    }
}
