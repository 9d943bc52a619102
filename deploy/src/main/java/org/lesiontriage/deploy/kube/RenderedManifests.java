package org.lesiontriage.deploy.kube;

import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The objects one kustomization renders to, with look-ups by kind and name. Generated ConfigMaps are found by the
 * name their generator was given (kustomize appends a content hash).
 *
 * @param source  the kustomization folder
 * @param objects the rendered objects in kustomize's order
 */
public record RenderedManifests(Path source, List<JsonNode> objects) {

    public RenderedManifests {
        objects = List.copyOf(objects);
    }

    public List<JsonNode> all(String kind) {
        return objects.stream().filter(o -> kind.equals(Objects.kind(o))).toList();
    }

    public Optional<JsonNode> find(String kind, String name) {
        return all(kind).stream().filter(o -> name.equals(Objects.name(o))).findFirst();
    }

    public JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new NoSuchElementException(
                source + " renders no " + kind + " named " + name));
    }

    /** A generated ConfigMap by its generator's name, or an exact name (kustomize rewrote references to it). */
    public Optional<JsonNode> configMap(String renderedName) {
        return find("ConfigMap", renderedName);
    }

    /** The workload whose pod template carries {@code app.kubernetes.io/name=appName}. */
    public JsonNode workload(String kind, String appName) {
        return all(kind).stream()
                .filter(o -> appName.equals(o.at("/spec/template/metadata/labels").path("app.kubernetes.io/name")
                        .asString("")))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException(source + " renders no " + kind + " for " + appName));
    }

    public boolean has(String kind, String name) {
        return find(kind, name).isPresent();
    }
}
