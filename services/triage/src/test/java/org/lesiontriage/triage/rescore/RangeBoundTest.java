package org.lesiontriage.triage.rescore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RangeBoundTest {

    @Test
    void readsEachFormAnOperatorWritesAndPrintsItBack() {
        assertThat(RangeBound.parse("earliest")).isInstanceOf(RangeBound.Earliest.class);
        assertThat(RangeBound.parse(" LATEST ")).isInstanceOf(RangeBound.Latest.class);
        assertThat(RangeBound.parse("2026-11-01T00:00:00Z"))
                .isEqualTo(new RangeBound.AtTime(Instant.parse("2026-11-01T00:00:00Z")));
        RangeBound offsets = RangeBound.parse("0:1200,2:1180");
        assertThat(offsets).isEqualTo(new RangeBound.AtOffsets(Map.of(0, 1200L, 2, 1180L)));
        assertThat(RangeBound.parse(offsets.toString())).isEqualTo(offsets);
        assertThat(RangeBound.parse("2:1180,0:1200")).as("printed by partition, as a resumed job compares it")
                .hasToString("0:1200,2:1180");
    }

    @Test
    void rejectsAnythingElseNamingTheForms() {
        assertThatThrownBy(() -> RangeBound.parse("yesterday")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("earliest, latest, an ISO-8601 instant");
        assertThatThrownBy(() -> RangeBound.parse("0:")).isInstanceOf(IllegalArgumentException.class);
    }
}
