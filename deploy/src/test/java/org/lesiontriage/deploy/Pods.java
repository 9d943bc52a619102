package org.lesiontriage.deploy;

import java.util.List;
import java.util.Optional;
import org.lesiontriage.deploy.kube.Objects;
import tools.jackson.databind.JsonNode;

/** Questions tests ask of a pod spec: where a path is mounted from, which file a Secret puts where. */
final class Pods {

    private Pods() {
    }

    /** The mount of the container that holds {@code path} (the longest mount path that is a prefix of it). */
    static Optional<JsonNode> mountHolding(JsonNode container, String path) {
        JsonNode best = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            String mountPath = mount.path("mountPath").asString("");
            if ((path.equals(mountPath) || path.startsWith(mountPath + "/"))
                    && (best == null || mountPath.length() > best.path("mountPath").asString("").length())) {
                best = mount;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The volume behind the mount that holds {@code path}. */
    static Optional<JsonNode> volumeHolding(JsonNode workload, JsonNode container, String path) {
        return mountHolding(container, path)
                .map(mount -> Objects.volume(Objects.podSpec(workload), mount.path("name").asString("")));
    }

    /** Whether a file at {@code path} is the Secret's {@code key}, mounted read-only. */
    static boolean isSecretFile(JsonNode workload, JsonNode container, String path, String secret, String key) {
        Optional<JsonNode> mount = mountHolding(container, path);
        if (mount.isEmpty() || !mount.get().path("readOnly").asBoolean(false)) {
            return false;
        }
        JsonNode volume = Objects.volume(Objects.podSpec(workload), mount.get().path("name").asString(""));
        if (!secret.equals(volume.at("/secret/secretName").asString(""))) {
            return false;
        }
        String file = path.substring(mount.get().path("mountPath").asString("").length() + 1);
        List<JsonNode> items = Objects.list(volume.at("/secret/items"));
        return items.isEmpty() ? file.equals(key)
                : items.stream().anyMatch(i -> key.equals(i.path("key").asString("")) && file.equals(i.path("path").asString("")));
    }

    /** Whether the container may write below {@code path}: an emptyDir or a claim mounted read-write. */
    static boolean isWritable(JsonNode workload, JsonNode container, String path) {
        return mountHolding(container, path).filter(m -> !m.path("readOnly").asBoolean(false))
                .map(m -> Objects.volume(Objects.podSpec(workload), m.path("name").asString("")))
                .filter(v -> v.has("emptyDir") || v.has("persistentVolumeClaim"))
                .isPresent();
    }
}
