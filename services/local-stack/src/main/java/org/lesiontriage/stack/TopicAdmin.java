package org.lesiontriage.stack;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.lesiontriage.contracts.RecordLimits;

/** Creates topics sized for image events (replication factor 1: the local stack has one broker). */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    /** Creates each topic (name to partition count) that does not exist yet. */
    public static void createMissing(String bootstrapServers, Map<String, Integer> partitionsByTopic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            partitionsByTopic.forEach((name, partitions) -> create(admin, new NewTopic(name, partitions, (short) 1)
                    .configs(Map.of("max.message.bytes", String.valueOf(RecordLimits.MAX_IMAGE_RECORD_BYTES)))));
        }
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
