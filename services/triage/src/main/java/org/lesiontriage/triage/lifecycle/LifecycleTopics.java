package org.lesiontriage.triage.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;

/**
 * Creates the lifecycle topics where they are missing (a local stack, a test broker), as Kafka Streams creates its
 * internal topics: one partition, compacted, releases up to the derived-record limit. Where the service may not
 * create topics (a secured cluster, where they are KafkaTopic resources), it says so and goes on.
 */
final class LifecycleTopics {

    private static final Logger LOG = Logger.getLogger(LifecycleTopics.class);

    private LifecycleTopics() {
    }

    static void createMissing(Admin admin) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : List.of(Topics.MODELS, Topics.MODEL_STATUS, Topics.ROLLOUTS)) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(RecordLimits.MAX_DERIVED_RECORD_BYTES))));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                LOG.infof("Created the lifecycle topics %s", missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Could not create the lifecycle topics (%s); they must exist", e.getCause().getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warnf("The broker did not answer on the lifecycle topics in time; they must exist");
        }
    }
}
