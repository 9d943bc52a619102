package org.lesiontriage.dashboard.images;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The newest thumbnails served, least recently used out first; a result leaving the working set takes its own. */
public final class ThumbnailCache {

    private final Map<String, Thumbnail> byEventId;

    public ThumbnailCache(int capacity) {
        this.byEventId = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized Optional<Thumbnail> get(String eventId) {
        return Optional.ofNullable(byEventId.get(eventId));
    }

    public synchronized void put(String eventId, Thumbnail thumbnail) {
        byEventId.put(eventId, thumbnail);
    }

    public synchronized void remove(String eventId) {
        byEventId.remove(eventId);
    }

    public synchronized int size() {
        return byEventId.size();
    }
}
