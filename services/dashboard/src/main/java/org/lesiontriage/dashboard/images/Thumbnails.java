package org.lesiontriage.dashboard.images;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;
import org.lesiontriage.dashboard.config.DashboardConfig;
import org.lesiontriage.dashboard.config.KafkaClients;
import org.lesiontriage.dashboard.queue.QueueEntry;
import org.lesiontriage.dashboard.queue.WorkingSet;

/**
 * Thumbnails of the results in the working set, and of nothing else: an event id that is not held has none. Made
 * on first request from lesion-images and cached while the result is held. Logs name the event id, never the case.
 */
@ApplicationScoped
public class Thumbnails {

    private static final Logger LOG = Logger.getLogger(Thumbnails.class);

    private final WorkingSet workingSet;
    private final ThumbnailCache cache;
    private final ImageLocator locator;
    private final Thumbnailer thumbnailer;

    @Inject
    public Thumbnails(WorkingSet workingSet, ThumbnailCache cache, KafkaClients clients, DashboardConfig config) {
        this.workingSet = workingSet;
        this.cache = cache;
        this.locator = new ImageLocator(clients.client(), clients.serde(), config.topics().images(),
                config.thumbnails().maxScan());
        this.thumbnailer = new Thumbnailer(config.thumbnails().size(), config.thumbnails().maxPixels());
    }

    public Optional<Thumbnail> of(String eventId) {
        Optional<QueueEntry> entry = workingSet.entry(eventId);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Optional<Thumbnail> cached = cache.get(eventId);
        if (cached.isPresent()) {
            return cached;
        }
        try {
            Optional<Thumbnail> made = locator.find(entry.get()).map(this::scale);
            // Only while the result is still held: one dropped meanwhile must not leave its image behind.
            made.filter(t -> workingSet.entry(eventId).isPresent()).ifPresent(t -> cache.put(eventId, t));
            return made;
        } catch (IllegalStateException | KafkaException e) { // KafkaException includes the serde's failures
            LOG.warnf("No thumbnail for event %s: %s", eventId, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private Thumbnail scale(byte[] image) {
        try {
            return thumbnailer.scale(image);
        } catch (IOException e) {
            throw new IllegalStateException("image does not decode: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        locator.close();
    }
}
