package org.lesiontriage.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.Topics;

@Tag("unit")
class StackOptionsTest {

    @Test
    void defaultsToTheTriageTopicsOnTheUsualPorts() {
        StackOptions options = StackOptions.parse(new String[0]);
        assertThat(options.kafkaPort()).isEqualTo(9092);
        assertThat(options.registryPort()).isEqualTo(8081);
        assertThat(options.topics()).containsEntry("lesion-images", 3).containsEntry("triage-results", 3)
                .containsEntry("triage-failures", 1).containsEntry("triage-reviews", 1);
        // the model lifecycle's topics, one partition each
        for (String topic : Topics.LIFECYCLE) {
            assertThat(options.topics()).containsEntry(topic, 1);
        }
    }

    @Test
    void rejectsBadValuesWithAMessageNamingTheOption() {
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--kafka-port", "ninety"}))
                .hasMessageContaining("--kafka-port");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--topics", "images"}))
                .hasMessageContaining("name:partitions");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--bogus"})).hasMessageContaining("--bogus");
    }
}
