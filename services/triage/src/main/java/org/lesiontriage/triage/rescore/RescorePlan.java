package org.lesiontriage.triage.rescore;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.lesiontriage.triage.topology.OffsetWindow;

/**
 * A replay range resolved to offsets when the job was first started, and kept in the job's folder: a resumed job
 * replays exactly the range it started with, even though the topic has grown since.
 *
 * @param partitions one {@code [start, end)} range per partition of the source topic
 */
public record RescorePlan(String jobId, String sourceTopic, String from, String to, String modelDir,
                         String resultsTopic, String failuresTopic, Instant plannedAt,
                         List<PartitionRange> partitions, boolean asLive) implements OffsetWindow {

    public record PartitionRange(int partition, long start, long end) {

        public long size() {
            return Math.max(0, end - start);
        }
    }

    public RescorePlan {
        partitions = List.copyOf(partitions);
    }

    /** Events in the range. */
    public long total() {
        return partitions.stream().mapToLong(PartitionRange::size).sum();
    }

    @Override
    public boolean admits(int partition, long offset) {
        for (PartitionRange range : partitions) {
            if (range.partition() == partition) {
                return offset >= range.start() && offset < range.end();
            }
        }
        return false;
    }

    /** Whether a resumed request asks for what this plan was made for. */
    boolean matches(RescoreRequest request) {
        return sourceTopic.equals(request.sourceTopic()) && from.equals(request.from().toString())
                && to.equals(request.to().toString()) && resultsTopic.equals(request.resultsTopic())
                && failuresTopic.equals(request.failuresTopic()) && asLive == request.asLive()
                && Path.of(modelDir).toAbsolutePath().normalize().equals(request.modelDir().toAbsolutePath().normalize());
    }

    void save(Path file) throws IOException {
        JobFiles.write(file, this);
    }

    static RescorePlan load(Path file) throws IOException {
        return JobFiles.JSON.readValue(file.toFile(), RescorePlan.class);
    }
}
