package org.lesiontriage.stack;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), running in this JVM
 * on loopback. Tests use it with a throw-away log directory; the local stack with a persistent one.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Largest record the broker accepts: dermoscopic originals run to several MB. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final EmbeddedKafkaBroker broker;

    private KafkaBroker(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    /** Starts a broker on a free port with a temporary log directory, deleted on close. */
    public static KafkaBroker startEphemeral() {
        return start(0, null);
    }

    /**
     * Starts a broker.
     *
     * @param port    listener port, 0 for any free port
     * @param logDir  persistent log directory (formatted on first use), or null for a temporary one
     */
    public static KafkaBroker start(int port, Path logDir) {
        int listenerPort = port == 0 ? FreePorts.pick() : port;
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(1)
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(listenerPort)
                .withControllerPort(FreePorts.pick())
                .withDeleteLogDirsOnClose(logDir == null)
                .withAdditionalProperties(properties -> configure(properties, logDir));
        if (logDir != null) {
            // A stable cluster id lets a persistent log directory be reused across restarts.
            broker.withClusterId("lesion-triage-local-000");
        }
        return new KafkaBroker(broker.start());
    }

    private static void configure(Properties properties, Path logDir) {
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "3");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "3");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("auto.create.topics.enable", "false");
        properties.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        properties.put("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        if (logDir != null) {
            properties.put("log.dirs", logDir.toAbsolutePath().toString());
        }
    }

    public String bootstrapServers() {
        return broker.getAdvertisedListeners().replaceFirst("^[A-Z_]+://", "");
    }

    /** Creates the topics that do not exist yet (name to partition count). */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        TopicAdmin.createMissing(bootstrapServers(), partitionsByTopic);
    }

    @Override
    public void close() {
        broker.close();
    }
}
