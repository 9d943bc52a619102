package org.lesiontriage.dashboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.dashboard.testing.Results;

@Tag("unit")
class PipelineStatsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T08:00:00Z");

    @Test
    void ratesCountByScoringTimeSoHistoryReadAtStartIsNoBurst() {
        PipelineStats stats = new PipelineStats(100, 10);
        for (int i = 0; i < 120; i++) { // two per second over the last minute
            stats.result(Results.result("c" + i, "clinic", 0.5, NOW.minusMillis(500L * i + 1000)),
                    NOW.toEpochMilli() - 500L * i - 2000, NOW.toEpochMilli(), false);
        }
        for (int i = 0; i < 1000; i++) { // an hour ago: read now, counted then
            stats.result(Results.result("old" + i, "clinic", 0.5, NOW.minusSeconds(3600)), 0, NOW.toEpochMilli(), false);
        }
        PipelineStats.Snapshot snapshot = stats.snapshot(NOW.toEpochMilli());

        assertThat(snapshot.resultsPerSecond()).isBetween(1.9, 2.1);
        assertThat(snapshot.results()).isEqualTo(1120);
        assertThat(snapshot.latencySample()).isEqualTo(100);
        assertThat(snapshot.visibleMs()).as("history is not live").isEmpty();
        assertThat(snapshot.batchSizes()).containsEntry(4, 100L);
        assertThat(snapshot.newestModel()).isEqualTo("triagenet 2.0.0");
    }

    @Test
    void latencyIsRecordTimestampToScoredAndVisibleOnlyForLiveResults() {
        PipelineStats stats = new PipelineStats(100, 10);
        TriageResult result = Results.result("c", "clinic", 0.5, NOW); // scored 40 ms after received
        stats.result(result, NOW.toEpochMilli() - 60, NOW.toEpochMilli() + 200, true);

        PipelineStats.Snapshot snapshot = stats.snapshot(NOW.toEpochMilli());
        assertThat(snapshot.endToEndMs()).containsEntry("p50", 100.0);
        assertThat(snapshot.visibleMs()).containsEntry("p99", 260.0);
    }

    @Test
    void deadLettersByReasonWithMetadataButNeitherKeyNorValueBytes() {
        PipelineStats stats = new PipelineStats(100, 2);
        for (int i = 0; i < 3; i++) {
            stats.deadLetter(DeadLetter.newBuilder().setReasonCode(i == 0 ? "NOT_WIRE_FORMAT" : "IMAGE_UNDECODABLE")
                    .setMessage("corrupt").setSourceTopic("lesion-images").setSourcePartition(1).setSourceOffset(40 + i)
                    .setOriginalKey(ByteBuffer.wrap("case-secret".getBytes())).setOriginalValue(ByteBuffer.wrap(new byte[77]))
                    .setFailedAt(NOW).build());
        }
        PipelineStats.Snapshot snapshot = stats.snapshot(NOW.toEpochMilli());

        assertThat(snapshot.deadLettersByReason()).containsEntry("IMAGE_UNDECODABLE", 2L).containsEntry("NOT_WIRE_FORMAT", 1L);
        assertThat(snapshot.newestDeadLetters()).extracting(DeadLetterSummary::sourceOffset).containsExactly(42L, 41L);
        DeadLetterSummary newest = snapshot.newestDeadLetters().get(0);
        assertThat(newest.keyBytes()).isEqualTo(11);
        assertThat(newest.valueBytes()).isEqualTo(77);
        assertThat(newest.toString()).doesNotContain("case-secret");
    }
}
