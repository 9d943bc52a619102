package org.lesiontriage.stack;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.lesiontriage.stack.tls.LoopbackTls;
import org.lesiontriage.stack.tls.ScramUser;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), running in this JVM
 * on loopback. Tests use it with a throw-away log directory; the local stack with a persistent one.
 */
public final class KafkaBroker implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final String clientBootstrap;
    private final String adminBootstrap;
    private final Map<String, String> clientSecurity;

    private KafkaBroker(EmbeddedKafkaBroker broker, String clientBootstrap, String adminBootstrap,
            Map<String, String> clientSecurity) {
        this.broker = broker;
        this.clientBootstrap = clientBootstrap;
        this.adminBootstrap = adminBootstrap;
        this.clientSecurity = Map.copyOf(clientSecurity);
    }

    /** Starts a broker on a free port with a temporary log directory, deleted on close. */
    public static KafkaBroker startEphemeral() {
        return startEphemeral(Map.of());
    }

    /** As {@link #startEphemeral()}, with broker settings that replace this class's (benchmarks try some). */
    public static KafkaBroker startEphemeral(Map<String, String> overrides) {
        return start(0, null, overrides);
    }

    /**
     * Starts a broker.
     *
     * @param port    listener port, 0 for any free port
     * @param logDir  persistent log directory (formatted on first use), or null for a temporary one
     */
    public static KafkaBroker start(int port, Path logDir) {
        return start(port, logDir, Map.of());
    }

    private static KafkaBroker start(int port, Path logDir, Map<String, String> overrides) {
        int listenerPort = port == 0 ? FreePorts.pick() : port;
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(1)
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(listenerPort)
                .withControllerPort(FreePorts.pick())
                .withDeleteLogDirsOnClose(logDir == null)
                .withAdditionalProperties(properties -> {
                    configure(properties, logDir);
                    properties.putAll(overrides);
                });
        if (logDir != null) {
            // A stable cluster id lets a persistent log directory be reused across restarts.
            broker.withClusterId("lesion-triage-local-000");
        }
        broker.start();
        String address = "127.0.0.1:" + listenerPort;
        return new KafkaBroker(broker, address, address, Map.of());
    }

    /**
     * Starts a broker whose clients must use SASL_SSL: TLS with {@code tls}'s server certificate and SCRAM-SHA-512
     * authentication, with {@code user} created at start. The broker also keeps a PLAINTEXT listener on loopback
     * for itself (inter-broker traffic) and for creating the user and the topics; {@link #bootstrapServers()} is the
     * SASL_SSL one.
     */
    public static KafkaBroker startSaslSsl(LoopbackTls tls, ScramUser user) {
        int internalPort = FreePorts.pick();
        int clientPort = FreePorts.pick();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(1)
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(internalPort)
                .withControllerPort(FreePorts.pick())
                .withDeleteLogDirsOnClose(true)
                // Both are advertised: inter-broker traffic must use an advertised listener.
                .withAdvertisedListeners(
                        EmbeddedKafkaBroker.endpoint(SecurityProtocol.PLAINTEXT, "127.0.0.1", internalPort),
                        EmbeddedKafkaBroker.endpoint(SecurityProtocol.SASL_SSL, "127.0.0.1", clientPort))
                .withAdditionalProperties(properties -> {
                    configure(properties, null);
                    SaslSslListener.configure(properties, tls);
                });
        broker.start();
        KafkaBroker secured = new KafkaBroker(broker, "127.0.0.1:" + clientPort, "127.0.0.1:" + internalPort,
                SaslSslListener.clientSettings(tls, user));
        try {
            SaslSslListener.createUser(secured.adminBootstrap, user);
            SaslSslListener.awaitLogin(secured.clientBootstrap, secured.clientSecurity);
        } catch (RuntimeException e) {
            secured.close();
            throw e;
        }
        return secured;
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
        // A transactional produce that arrives while the previous transaction's markers are still being written
        // waits this long on the broker before it is retried (20 ms by default): with a commit per batch that
        // was a 20 ms stall on most batches. See docs/operations.md, "Broker settings for exactly-once latency".
        properties.put("add.partitions.to.txn.retry.backoff.ms", "5");
        // Record sizes stay at the broker's defaults (message.max.bytes 1 MiB): topics that carry images say so
        // per topic (TopicAdmin), and the service sets its changelog's itself, as on a platform it does not own.
        if (logDir != null) {
            properties.put("log.dirs", logDir.toAbsolutePath().toString());
        }
    }

    /** Where clients connect: the PLAINTEXT listener, or the SASL_SSL one of a secured broker. */
    public String bootstrapServers() {
        return clientBootstrap;
    }

    /**
     * The settings besides {@code bootstrap.servers} that a client needs: none for a PLAINTEXT broker; for a
     * secured one security.protocol, sasl.mechanism, sasl.jaas.config and ssl.truststore.*. Holds secrets: pass
     * it to clients, never print it.
     */
    public Map<String, String> clientSecurity() {
        return clientSecurity;
    }

    /**
     * Creates the topics that do not exist yet (name to partition count), and returns once the broker serves all
     * of them: each in its metadata with a leader for every partition (see {@link TopicAdmin}).
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        TopicAdmin.createMissing(adminBootstrap, partitionsByTopic);
    }

    @Override
    public void close() {
        broker.close();
    }
}
