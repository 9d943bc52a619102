package org.lesiontriage.deploy.schema;

import com.networknt.schema.Schema;
import com.networknt.schema.SpecificationVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lesiontriage.deploy.YamlDocuments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The built-in kinds of Kubernetes 1.32, validated against the definitions of its OpenAPI document
 * (schemas/kubernetes-1.32/swagger.json) the way kubectl's strict validation reads them: an object with declared
 * properties takes no others (a misspelt field is an error, not silently dropped), int-or-string fields take both,
 * quantities take numbers or strings.
 */
public final class KubernetesSchemas {

    static final String DOCUMENT = "kubernetes-1.32/swagger.json";
    static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private final ObjectNode definitions;
    private final Map<String, String> definitionByKind = new HashMap<>();
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private KubernetesSchemas(ObjectNode definitions) {
        this.definitions = definitions;
        definitions.properties().forEach(entry -> {
            for (JsonNode gvk : entry.getValue().path("x-kubernetes-group-version-kind")) {
                String group = gvk.path("group").asString("");
                String version = gvk.path("version").asString("");
                definitionByKind.put(key(group.isEmpty() ? version : group + "/" + version,
                        gvk.path("kind").asString("")), entry.getKey());
            }
        });
    }

    public static KubernetesSchemas load() {
        ObjectNode definitions = (ObjectNode) YamlDocuments.json(SchemaResources.read(DOCUMENT)).path("definitions");
        definitions.set(INT_OR_STRING, oneOfTypes("string", "integer"));
        definitions.set(QUANTITY, oneOfTypes("string", "number"));
        definitions.values().forEach(KubernetesSchemas::closeObjects);
        return new KubernetesSchemas(definitions);
    }

    public boolean knows(String apiVersion, String kind) {
        return definitionByKind.containsKey(key(apiVersion, kind));
    }

    /** The problems of a built-in object, or empty when its apiVersion and kind are not built in. */
    public Optional<List<String>> validate(String subject, JsonNode object) {
        String definition = definitionByKind.get(key(object.path("apiVersion").asString(""),
                object.path("kind").asString("")));
        return Optional.ofNullable(definition).map(name -> validate(subject, name, object));
    }

    /** Metadata of any object, custom resources included: the API server checks it the same for all. */
    public List<String> validateMetadata(String subject, JsonNode metadata) {
        return validate(subject + " metadata", OBJECT_META, metadata);
    }

    private List<String> validate(String subject, String definition, JsonNode value) {
        Schema schema = compiled.computeIfAbsent(definition, name -> {
            ObjectNode root = JsonMapper.builder().build().createObjectNode();
            root.put("$ref", "#/definitions/" + name);
            root.set("definitions", definitions);
            return SchemaResources.compile(SpecificationVersion.DRAFT_4, root);
        });
        return SchemaResources.messages(subject, schema.validate(value));
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }

    private static ObjectNode oneOfTypes(String... types) {
        ObjectNode schema = JsonMapper.builder().build().createObjectNode();
        var oneOf = schema.putArray("oneOf");
        for (String type : types) {
            oneOf.addObject().put("type", type);
        }
        return schema;
    }

    /** Declared properties are all there are (as kubectl --validate=strict and the API server see it). */
    static void closeObjects(JsonNode schema) {
        SchemaResources.eachSubschema(schema, node -> {
            if (node.has("properties") && !node.has("additionalProperties")) {
                ((ObjectNode) node).put("additionalProperties", false);
            }
            return true;
        });
    }
}
