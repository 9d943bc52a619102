package org.lesiontriage.triage.rescore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class RescorePlanTest {

    private final RescoreRequest request = new RescoreRequest("job-1", "lesion-images", new RangeBound.Earliest(),
            RangeBound.parse("0:10"), Path.of("models/proposed/1.0.0"), null, null);
    private final RescorePlan plan = new RescorePlan("job-1", "lesion-images", "earliest", "0:10",
            Path.of("models/proposed/1.0.0").toAbsolutePath().toString(), "triage-rescore-job-1",
            "triage-rescore-job-1-failures", Instant.parse("2026-11-26T10:00:00Z"),
            List.of(new RescorePlan.PartitionRange(0, 4, 10), new RescorePlan.PartitionRange(1, 7, 7)), false);

    @Test
    void admitsExactlyTheOffsetsOfItsRanges() {
        assertThat(plan.total()).isEqualTo(6);
        assertThat(plan.admits(0, 3)).isFalse();
        assertThat(plan.admits(0, 4)).isTrue();
        assertThat(plan.admits(0, 9)).isTrue();
        assertThat(plan.admits(0, 10)).as("the end is exclusive").isFalse();
        assertThat(plan.admits(1, 7)).as("an empty range admits nothing").isFalse();
        assertThat(plan.admits(2, 0)).as("a partition not in the plan").isFalse();
    }

    @Test
    void survivesItsFileAndKnowsTheRequestItWasMadeFor(@TempDir Path dir) throws Exception {
        plan.save(dir.resolve("plan.json"));
        RescorePlan loaded = RescorePlan.load(dir.resolve("plan.json"));
        assertThat(loaded).isEqualTo(plan);
        assertThat(loaded.matches(request)).isTrue();
        assertThat(loaded.matches(new RescoreRequest("job-1", "lesion-images", new RangeBound.Earliest(),
                new RangeBound.Latest(), Path.of("models/proposed/1.0.0"), null, null))).isFalse();
    }

    @Test
    void aRequestNamesItsOutputsAfterTheJobAndNeverItsSource() {
        assertThat(request.resultsTopic()).isEqualTo("triage-rescore-job-1");
        assertThat(request.failuresTopic()).isEqualTo("triage-rescore-job-1-failures");
        assertThat(request.applicationId()).isEqualTo("lesion-triage-rescore-job-1");
        assertThatThrownBy(() -> new RescoreRequest("a b", "t", new RangeBound.Earliest(), new RangeBound.Latest(),
                Path.of("m"), null, null)).hasMessageContaining("job id");
        assertThatThrownBy(() -> new RescoreRequest("x", "t", new RangeBound.Earliest(), new RangeBound.Latest(),
                Path.of("m"), "t", null)).hasMessageContaining("cannot write into the topic it reads");
    }
}
