package org.lesiontriage.triage.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lesiontriage.contracts.ModelStatus;

/** The latest status each instance reported for each release, as read from the status topic. */
public final class StatusBoard {

    private final Map<String, ModelStatus> statuses = new ConcurrentHashMap<>();

    public void accept(String key, ModelStatus status) {
        if (key == null) {
            return;
        }
        if (status == null) {
            statuses.remove(key);
        } else {
            statuses.put(key, status);
        }
    }

    public Optional<ModelStatus> status(String instance, ModelKey model) {
        return Optional.ofNullable(statuses.get(StatusReporter.key(instance, model)));
    }

    public List<ModelStatus> all() {
        return statuses.values().stream()
                .sorted((a, b) -> a.getReportedAt().compareTo(b.getReportedAt())).toList();
    }
}
