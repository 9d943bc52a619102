package org.lesiontriage.triage.rescore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** Resolves a request's range to offsets, capturing the topic's end at this moment as the replay's upper bound. */
final class RescorePlanner {

    private final Admin admin;

    RescorePlanner(Admin admin) {
        this.admin = admin;
    }

    RescorePlan plan(RescoreRequest request) throws ExecutionException, InterruptedException {
        String topic = request.sourceTopic();
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        List<TopicPartition> partitions = description.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> earliest = offsets(partitions, p -> OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(partitions, p -> OffsetSpec.latest());
        Map<TopicPartition, Long> from = resolve(request.from(), partitions, earliest, latest, earliest);
        Map<TopicPartition, Long> to = resolve(request.to(), partitions, earliest, latest, latest);

        List<RescorePlan.PartitionRange> ranges = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            long end = clamp(to.get(partition), earliest.get(partition), latest.get(partition));
            long start = Math.min(clamp(from.get(partition), earliest.get(partition), latest.get(partition)), end);
            ranges.add(new RescorePlan.PartitionRange(partition.partition(), start, end));
        }
        return new RescorePlan(request.jobId(), topic, request.from().toString(), request.to().toString(),
                request.modelDir().toAbsolutePath().normalize().toString(), request.resultsTopic(),
                request.failuresTopic(), Instant.now(), ranges, request.asLive());
    }

    /**
     * @param unnamed where a partition the bound does not name starts (from) or ends (to): replayed in full
     */
    private Map<TopicPartition, Long> resolve(RangeBound bound, List<TopicPartition> partitions,
                                              Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest,
                                              Map<TopicPartition, Long> unnamed)
            throws ExecutionException, InterruptedException {
        if (bound instanceof RangeBound.Earliest) {
            return earliest;
        }
        if (bound instanceof RangeBound.Latest) {
            return latest;
        }
        Map<TopicPartition, Long> resolved = new HashMap<>();
        if (bound instanceof RangeBound.AtTime at) {
            Map<TopicPartition, Long> found = offsets(partitions, p -> OffsetSpec.forTimestamp(at.time().toEpochMilli()));
            // No record at or after the time: the bound is the partition's end.
            partitions.forEach(p -> resolved.put(p, found.get(p) < 0 ? latest.get(p) : found.get(p)));
            return resolved;
        }
        RangeBound.AtOffsets at = (RangeBound.AtOffsets) bound;
        for (Integer partition : at.offsets().keySet()) {
            if (partitions.stream().noneMatch(p -> p.partition() == partition)) {
                throw new IllegalArgumentException("topic " + partitions.get(0).topic() + " has no partition " + partition);
            }
        }
        partitions.forEach(p -> resolved.put(p, at.offsets().getOrDefault(p.partition(), unnamed.get(p))));
        return resolved;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions,
                                              Function<TopicPartition, OffsetSpec> spec)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec.apply(p)));
        // read_committed: the end of a transactionally written topic is its last stable offset, what a job can read
        Map<TopicPartition, ListOffsetsResultInfo> answer = admin.listOffsets(request,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        answer.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private static long clamp(long offset, long low, long high) {
        return Math.max(low, Math.min(offset, high));
    }
}
