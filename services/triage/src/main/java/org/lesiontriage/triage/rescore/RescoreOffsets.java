package org.lesiontriage.triage.rescore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** A job's position in its range, from the offsets its consumer group has committed. */
final class RescoreOffsets {

    private static final String SEEDING = "seeding";
    private static final String SEEDED = "seeded";
    /** Longer than a job's consumer session (10 s, see RescoreJob), so a killed run's member has expired. */
    private static final Duration MEMBER_EXPIRY_WAIT = Duration.ofSeconds(15);

    private final Admin admin;
    private final String groupId;
    private final RescorePlan plan;

    RescoreOffsets(Admin admin, String groupId, RescorePlan plan) {
        this.admin = admin;
        this.groupId = groupId;
        this.plan = plan;
    }

    /**
     * Points a new job's consumer group at the start of its range, or finds the offsets a resumed job committed.
     * The job's folder records the seeding ({@code seeding}, then {@code seeded}), so that offsets which are not
     * this job's (the folder was deleted, the id reused) and offsets that vanished (expired after the broker's
     * offsets.retention.minutes) are refused: either would replay part of the range twice or not at all.
     *
     * @return true when the job resumes from committed offsets
     */
    static boolean startOrResume(Admin admin, String groupId, RescorePlan plan, Path marker)
            throws ExecutionException, InterruptedException, IOException {
        boolean hasOffsets = !committed(admin, groupId, plan).isEmpty();
        String seeding = Files.exists(marker) ? Files.readString(marker).trim() : "";
        if (hasOffsets && seeding.isEmpty()) {
            throw new IllegalStateException("consumer group " + groupId + " has offsets from an earlier job with this id; "
                    + "use a new job id (or delete that group, its changelog topic " + groupId
                    + "-pending-images-changelog and the job's output topics, to start over)");
        }
        if (!hasOffsets && SEEDED.equals(seeding)) {
            throw new IllegalStateException("consumer group " + groupId + " lost its committed offsets (expired or deleted); "
                    + "resuming would score part of the range again. Use a new job id");
        }
        if (hasOffsets) {
            Files.writeString(marker, SEEDED);
            return true;
        }
        Files.writeString(marker, SEEDING);
        Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
        plan.partitions().forEach(range ->
                starts.put(new TopicPartition(plan.sourceTopic(), range.partition()), new OffsetAndMetadata(range.start())));
        admin.alterConsumerGroupOffsets(groupId, starts).all().get();
        Files.writeString(marker, SEEDED);
        return false;
    }

    /**
     * Two runs of one job would each see only half of the images still waiting for a batch. A member of a run that
     * was killed stays in the group until its session times out, so members are given that long to go away.
     */
    static void refuseIfRunningElsewhere(Admin admin, String groupId) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + MEMBER_EXPIRY_WAIT.toNanos();
        int members = members(admin, groupId);
        while (members > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            members = members(admin, groupId);
        }
        if (members > 0) {
            throw new IllegalStateException("job " + groupId + " is running elsewhere (" + members
                    + " member(s) in its consumer group)");
        }
    }

    private static int members(Admin admin, String groupId) throws ExecutionException, InterruptedException {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
            return description == null ? 0 : description.members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0; // a new job
            }
            throw e;
        }
    }

    /**
     * Events of the range whose input offsets are committed, i.e. answered or durably waiting for a batch, plus
     * those deleted by retention before the job reached them: nothing will ever read those, and a partition whose
     * rest of the range is gone gets no commit to wait for.
     */
    long done() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, groupId, plan);
        Map<TopicPartition, Long> logStarts = logStarts();
        long done = 0;
        for (RescorePlan.PartitionRange range : plan.partitions()) {
            TopicPartition partition = new TopicPartition(plan.sourceTopic(), range.partition());
            OffsetAndMetadata at = committed.get(partition);
            long position = Math.max(at == null ? range.start() : at.offset(), logStarts.getOrDefault(partition, 0L));
            done += Math.min(Math.max(position, range.start()), range.end()) - range.start();
        }
        return done;
    }

    /** Events of the range deleted by retention before the job read them. */
    long lostToRetention() throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> logStarts = logStarts();
        long lost = 0;
        for (RescorePlan.PartitionRange range : plan.partitions()) {
            long logStart = logStarts.getOrDefault(new TopicPartition(plan.sourceTopic(), range.partition()), 0L);
            lost += Math.max(0, Math.min(logStart, range.end()) - range.start());
        }
        return lost;
    }

    private Map<TopicPartition, Long> logStarts() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        plan.partitions().forEach(range ->
                earliest.put(new TopicPartition(plan.sourceTopic(), range.partition()), OffsetSpec.earliest()));
        Map<TopicPartition, Long> starts = new HashMap<>();
        admin.listOffsets(earliest).all().get().forEach((partition, info) -> starts.put(partition, info.offset()));
        return starts;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String groupId, RescorePlan plan)
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
