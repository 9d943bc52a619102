package org.lesiontriage.triage.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.lesiontriage.triage.testing.TestModel;
import org.junit.jupiter.api.Test;

/** Tests and benchmarks run the topology with StreamSettings; it must say what the service is configured with. */
class StreamSettingsTest {

    @Test
    void matchesTheServicesApplicationProperties() throws Exception {
        Properties served = new Properties();
        Path file = TestModel.projectRoot().resolve("services/triage/src/main/resources/application.properties");
        try (Reader in = Files.newBufferedReader(file)) {
            served.load(in);
        }
        Properties settings = StreamSettings.asServed("broker:9092", "app", Path.of("state"));

        for (String key : new String[] {"processing.guarantee", "commit.interval.ms", "poll.ms",
            "consumer.max.partition.fetch.bytes", "consumer.fetch.max.bytes", "producer.max.request.size",
            "producer.compression.type"}) {
            assertThat(String.valueOf(settings.get(key))).as(key).isEqualTo(served.getProperty("kafka-streams." + key));
        }
    }
}
