package org.lesiontriage.triage.topology;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.jboss.logging.Logger;

/**
 * Fits dead letters to the dead-letter topic the broker actually has: its {@code max.message.bytes} (a stock
 * broker's default is 1 MiB) less room for the envelope. Asked once at start; a broker that does not answer leaves
 * the configured bound.
 */
public final class DeadLetterTopicLimit {

    /** Room for the dead letter's own fields and the record batch overhead. */
    public static final long ENVELOPE_BYTES = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(DeadLetterTopicLimit.class);

    private DeadLetterTopicLimit() {
    }

    public static void apply(Map<String, Object> kafkaClientConfig, String failuresTopic, DeadLetterFactory deadLetters) {
        try (Admin admin = Admin.create(kafkaClientConfig)) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, failuresTopic);
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            long topicLimit = Long.parseLong(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
            long before = deadLetters.maxOriginalBytes();
            deadLetters.limitOriginalBytes(topicLimit - ENVELOPE_BYTES);
            if (deadLetters.maxOriginalBytes() < before) {
                LOG.warnf("Topic %s accepts records up to %d bytes: dead letters carry originals up to %d bytes and "
                        + "leave larger ones out (size and sha256 kept). Raise its max.message.bytes to %d to keep "
                        + "every original (docs/reliability.md)", failuresTopic, topicLimit,
                        deadLetters.maxOriginalBytes(), before + ENVELOPE_BYTES);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Could not read the record limit of %s (%s): dead letters keep originals up to %d bytes",
                    failuresTopic, e.toString(), deadLetters.maxOriginalBytes());
        }
    }

}
