package org.lesiontriage.deploy.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The environment a container starts with, as far as the manifests fix it: ConfigMaps in {@code envFrom} are read
 * from the same render, {@code env} values are taken as written, and values from Secrets (which live only in the
 * cluster) stand as placeholders naming the Secret and key.
 *
 * @param variables  every variable the container gets, with its value or a Secret placeholder
 * @param secretKeys the Secret keys that feed single variables ({@code valueFrom.secretKeyRef})
 */
public record ContainerEnvironment(Map<String, String> variables, List<SecretKey> secretKeys) {

    /** A value from a Secret, known only in the cluster. */
    public record SecretKey(String variable, String secret, String key) {
        public String placeholder() {
            return "<secret " + secret + "/" + key + ">";
        }
    }

    public ContainerEnvironment {
        variables = Map.copyOf(variables);
        secretKeys = List.copyOf(secretKeys);
    }

    public static ContainerEnvironment of(RenderedManifests manifests, JsonNode container) {
        Map<String, String> variables = new LinkedHashMap<>();
        List<SecretKey> secretKeys = new ArrayList<>();
        for (JsonNode source : container.path("envFrom")) {
            if (source.has("configMapRef")) {
                String name = source.at("/configMapRef/name").asString("");
                JsonNode configMap = manifests.configMap(name).orElseThrow(() -> new IllegalStateException(
                        manifests.source() + ": container " + container.path("name").asString("")
                                + " reads ConfigMap " + name + ", which the kustomization does not render"));
                variables.putAll(Objects.map(configMap.path("data")));
            } else {
                throw new IllegalStateException("envFrom " + source + " is not a configMapRef: whole Secrets as "
                        + "environments hide which variables a container gets");
            }
        }
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asString("");
            JsonNode secretRef = variable.at("/valueFrom/secretKeyRef");
            if (!secretRef.isMissingNode()) {
                SecretKey key = new SecretKey(name, secretRef.path("name").asString(""), secretRef.path("key").asString(""));
                secretKeys.add(key);
                variables.put(name, key.placeholder());
            } else {
                variables.put(name, variable.path("value").asString(""));
            }
        }
        return new ContainerEnvironment(variables, secretKeys);
    }
}
