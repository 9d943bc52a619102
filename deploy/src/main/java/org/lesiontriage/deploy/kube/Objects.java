package org.lesiontriage.deploy.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Reading fields of Kubernetes objects (JSON trees) without a typed model. */
public final class Objects {

    private Objects() {
    }

    public static String kind(JsonNode object) {
        return object.path("kind").asString("");
    }

    public static String apiVersion(JsonNode object) {
        return object.path("apiVersion").asString("");
    }

    public static String name(JsonNode object) {
        return object.at("/metadata/name").asString("");
    }

    /** "Kind/name", for messages. */
    public static String id(JsonNode object) {
        return kind(object) + "/" + name(object);
    }

    /** The pod spec of a Deployment, Job, ... ({@code spec.template.spec}). */
    public static JsonNode podSpec(JsonNode workload) {
        return workload.at("/spec/template/spec");
    }

    public static JsonNode container(JsonNode workload, String name) {
        for (JsonNode container : podSpec(workload).path("containers")) {
            if (name.equals(container.path("name").asString(""))) {
                return container;
            }
        }
        throw new IllegalArgumentException(id(workload) + " has no container " + name);
    }

    public static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    public static List<String> strings(JsonNode array) {
        return list(array).stream().map(n -> n.asString("")).toList();
    }

    /** A string-to-string map ({@code data}, labels). */
    public static Map<String, String> map(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.properties().forEach(e -> values.put(e.getKey(), e.getValue().asString("")));
        return values;
    }

    /** The volume of a pod spec by name. */
    public static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode volume : podSpec.path("volumes")) {
            if (name.equals(volume.path("name").asString(""))) {
                return volume;
            }
        }
        throw new IllegalArgumentException("no volume " + name);
    }
}
