package org.lesiontriage.triage.lifecycle;

import java.util.Objects;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.contracts.ModelRollout;

/** A model version's identity: name and version, written {@code name:version} as the key of its release record. */
public record ModelKey(String name, String version) {

    public ModelKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    public static ModelKey of(ModelRelease release) {
        return new ModelKey(release.getName(), release.getVersion());
    }

    public static ModelKey of(ModelRollout rollout) {
        return new ModelKey(rollout.getName(), rollout.getVersion());
    }

    /** Parses {@code name:version}. */
    public static ModelKey parse(String key) {
        int colon = key.indexOf(':');
        if (colon <= 0 || colon == key.length() - 1) {
            throw new IllegalArgumentException("a model key is name:version, not '" + key + "'");
        }
        return new ModelKey(key.substring(0, colon), key.substring(colon + 1));
    }

    @Override
    public String toString() {
        return name + ":" + version;
    }
}
