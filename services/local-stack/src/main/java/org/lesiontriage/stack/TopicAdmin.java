package org.lesiontriage.stack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;

/**
 * Creates topics sized for image events (replication factor 1: the local stack has one broker); the topics the
 * contracts name as compacted ({@link Topics#COMPACTED}) get {@code cleanup.policy=compact}.
 */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    /** Creates each topic (name to partition count) that does not exist yet. */
    public static void createMissing(String bootstrapServers, Map<String, Integer> partitionsByTopic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            partitionsByTopic.forEach((name, partitions) -> create(admin, new NewTopic(name, partitions, (short) 1)
                    .configs(configs(name))));
        }
    }

    static Map<String, String> configs(String topic) {
        Map<String, String> configs = new HashMap<>();
        // Per topic, as a platform would set them: the broker itself keeps its defaults (1 MiB records).
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.LESION_IMAGES.equals(topic)
                ? RecordLimits.MAX_IMAGE_RECORD_BYTES : RecordLimits.MAX_DERIVED_RECORD_BYTES));
        if (Topics.COMPACTED.contains(topic)) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        return configs;
    }

    private static void create(Admin admin, NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Creating topic " + topic.name() + " failed", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic.name(), e);
        }
    }
}
