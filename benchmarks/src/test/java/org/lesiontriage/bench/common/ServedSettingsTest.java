package org.lesiontriage.bench.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.triage.config.TriageSettings;

/** "As served" is what the service's own configuration says, never a copy of its values. */
@Tag("unit")
class ServedSettingsTest {

    @Test
    void readsTheServicesConfigurationAndOnlyIt() {
        ServedSettings served = ServedSettings.of(TriageSettings.load(Map.of(
                "triage.batch.max-size", "7", "triage.batch.max-delay", "25ms", "triage.model.intra-op-threads", "3",
                "kafka-streams.num.stream.threads", "4", "kafka-streams.commit.interval.ms", "250"), Map.of()));

        assertThat(served).isEqualTo(new ServedSettings(3, 7, Duration.ofMillis(25), 4, 250));
    }
}
