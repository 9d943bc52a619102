package org.lesiontriage.bench.common;

import java.time.Duration;
import java.util.Map;
import org.lesiontriage.triage.config.TriageSettings;

/**
 * The settings the service runs with when nobody overrides them: its application.properties and the defaults of
 * its configuration mapping, read through the same loader as the service (no environment, so that a benchmark's
 * "as served" does not depend on the shell it started from).
 */
public record ServedSettings(int intraOpThreads, int maxBatch, Duration maxDelay, int streamThreads, int commitIntervalMs) {

    public static ServedSettings read() {
        return of(TriageSettings.load(Map.of(), Map.of()));
    }

    public static ServedSettings of(TriageSettings settings) {
        var triage = settings.triage();
        Map<String, String> streams = settings.kafkaStreams();
        return new ServedSettings(triage.model().intraOpThreads(), triage.batch().maxSize(), triage.batch().maxDelay(),
                intSetting(streams, "num.stream.threads"), intSetting(streams, "commit.interval.ms"));
    }

    private static int intSetting(Map<String, String> streams, String key) {
        String value = streams.get(key);
        if (value == null) {
            throw new IllegalStateException("the service's application.properties sets no kafka-streams." + key);
        }
        return Integer.parseInt(value);
    }
}
