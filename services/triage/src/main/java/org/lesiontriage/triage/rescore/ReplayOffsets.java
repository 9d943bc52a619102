package org.lesiontriage.triage.rescore;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A job's position in its range, from the offsets its consumer group has committed. */
final class ReplayOffsets {

    private final Admin admin;
    private final String groupId;
    private final ReplayPlan plan;

    ReplayOffsets(Admin admin, String groupId, ReplayPlan plan) {
        this.admin = admin;
        this.groupId = groupId;
        this.plan = plan;
    }

    /**
     * Points a new job's consumer group at the start of its range, so its first poll begins there.
     *
     * @return false when the group has committed offsets already: a resumed job continues from those
     */
    static boolean seedIfNew(Admin admin, String groupId, ReplayPlan plan) throws ExecutionException, InterruptedException {
        if (!committed(admin, groupId, plan).isEmpty()) {
            return false;
        }
        Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
        plan.partitions().forEach(range ->
                starts.put(new TopicPartition(plan.sourceTopic(), range.partition()), new OffsetAndMetadata(range.start())));
        admin.alterConsumerGroupOffsets(groupId, starts).all().get();
        return true;
    }

    /** Events of the range whose input offsets are committed, i.e. answered or durably waiting for a batch. */
    long done() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, groupId, plan);
        long done = 0;
        for (ReplayPlan.PartitionRange range : plan.partitions()) {
            OffsetAndMetadata at = committed.get(new TopicPartition(plan.sourceTopic(), range.partition()));
            long position = at == null ? range.start() : at.offset();
            done += Math.min(Math.max(position, range.start()), range.end()) - range.start();
        }
        return done;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String groupId, ReplayPlan plan)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().forEach((partition, offset) -> {
            if (offset != null && partition.topic().equals(plan.sourceTopic())) {
                offsets.put(partition, offset);
            }
        });
        return offsets;
    }
}
