package org.lesiontriage.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;

/**
 * Creates topics sized for image events (replication factor 1: the local stack has one broker); the topics the
 * contracts name as compacted ({@link Topics#COMPACTED}) get {@code cleanup.policy=compact}.
 *
 * <p>A topic counts as created once the broker serves it, not once the controller has accepted it. In KRaft
 * mode CreateTopics answers when the controller has committed the topic to the metadata log; the broker applies
 * that log asynchronously, and until it has, it answers Metadata, DescribeConfigs, Produce and Fetch for the
 * topic with UNKNOWN_TOPIC_OR_PARTITION. {@link #createMissing} therefore waits until every topic is in the
 * broker's metadata with a leader for each partition, and each leader answers for its partitions.
 */
public final class TopicAdmin {

    /** How long the broker may take to serve topics the controller has created (normally milliseconds). */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private static final long RETRY_MILLIS = 50;

    private TopicAdmin() {
    }

    /**
     * Creates each topic (name to partition count) that does not exist yet, and returns once the broker serves
     * every one of them (see the class comment); throws {@link IllegalStateException} if it does not within
     * {@link #READY_TIMEOUT}.
     */
    public static void createMissing(String bootstrapServers, Map<String, Integer> partitionsByTopic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            partitionsByTopic.forEach((name, partitions) -> create(admin, new NewTopic(name, partitions, (short) 1)
                    .configs(configs(name))));
            awaitServed(admin, bootstrapServers, new TreeSet<>(partitionsByTopic.keySet()));
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

    /** Waits until the broker serves each of {@code topics}: retries what Kafka calls retriable, fails on the rest. */
    private static void awaitServed(Admin admin, String bootstrapServers, Set<String> topics) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String notYet;
        Throwable cause = null;
        do {
            try {
                notYet = notServed(admin, topics, deadline);
                if (notYet == null) {
                    return;
                }
                cause = null;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new IllegalStateException("Checking topics " + topics + " on " + bootstrapServers
                            + " failed", e.getCause());
                }
                notYet = e.getCause().toString();
                cause = e.getCause();
            } catch (TimeoutException e) {
                notYet = "no answer from the broker";
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + topics, e);
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + topics, e);
            }
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("Topics " + topics + " are not served by the broker at " + bootstrapServers
                + " " + READY_TIMEOUT.toSeconds() + " s after creating them: " + notYet, cause);
    }

    /**
     * Null if the broker serves every topic: its metadata names a leader for each partition and the leaders
     * answer ListOffsets for them (which they do only once they have the partition's log). Else what is missing.
     */
    private static String notServed(Admin admin, Set<String> topics, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        int timeoutMs = remainingMillis(deadline);
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics,
                new DescribeTopicsOptions().timeoutMs(timeoutMs)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        List<String> leaderless = new ArrayList<>();
        for (TopicDescription description : descriptions.values()) {
            for (TopicPartitionInfo partition : description.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    leaderless.add(description.name() + "-" + partition.partition());
                }
                partitions.put(new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
            }
        }
        if (!leaderless.isEmpty()) {
            return "no leader yet for " + leaderless;
        }
        timeoutMs = remainingMillis(deadline);
        admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(timeoutMs)).all()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        return null;
    }

    private static int remainingMillis(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
