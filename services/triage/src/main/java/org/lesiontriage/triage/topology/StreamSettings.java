package org.lesiontriage.triage.topology;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.lesiontriage.contracts.RecordLimits;

/**
 * The Kafka Streams settings the service runs with (see application.properties), for running the topology
 * outside Quarkus: crash tests and benchmarks must measure what production runs.
 */
public final class StreamSettings {

    private static final int MAX_IMAGE_RECORD_BYTES = RecordLimits.MAX_IMAGE_RECORD_BYTES;

    private StreamSettings() {
    }

    /** Exactly-once, commits every 100 ms, 10 ms polls, fetch and request sizes for image records. */
    public static Properties asServed(String bootstrapServers, String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.POLL_MS_CONFIG, 10);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        props.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), MAX_IMAGE_RECORD_BYTES);
        props.put(StreamsConfig.consumerPrefix("fetch.max.bytes"), 4 * MAX_IMAGE_RECORD_BYTES);
        props.put(StreamsConfig.producerPrefix("max.request.size"), MAX_IMAGE_RECORD_BYTES);
        props.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        return props;
    }
}
