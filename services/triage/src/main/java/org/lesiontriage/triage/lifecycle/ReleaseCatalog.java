package org.lesiontriage.triage.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.lesiontriage.contracts.ModelRelease;

/** The releases published on the models topic, by name and version (the latest record of each, as compaction keeps). */
public final class ReleaseCatalog {

    private final Map<ModelKey, ModelRelease> releases = new ConcurrentHashMap<>();
    private volatile Consumer<ModelRelease> onPublished = release -> { };

    /** From now on, every release read is also handed to {@code listener} (e.g. to be prepared). */
    public void onPublished(Consumer<ModelRelease> listener) {
        this.onPublished = listener;
    }

    /** A record of the models topic: a release, or a tombstone that withdraws one. */
    public void accept(String key, ModelRelease release) {
        if (release == null) {
            if (key != null) {
                releases.remove(ModelKey.parse(key));
            }
            return;
        }
        releases.put(ModelKey.of(release), release);
        onPublished.accept(release);
    }

    public Optional<ModelRelease> release(ModelKey key) {
        return Optional.ofNullable(releases.get(key));
    }

    public List<ModelRelease> all() {
        return releases.values().stream()
                .sorted((a, b) -> a.getPublishedAt().compareTo(b.getPublishedAt())).toList();
    }
}
