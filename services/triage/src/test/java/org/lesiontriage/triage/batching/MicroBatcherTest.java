package org.lesiontriage.triage.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class MicroBatcherTest {

    private final MicroBatcher<String> batcher = new MicroBatcher<>(new BatchPolicy(3, Duration.ofMillis(10)));

    @Test
    void isFullAtMaxSize() {
        assertThat(batcher.add("a", 0)).isFalse();
        assertThat(batcher.add("b", 1)).isFalse();
        assertThat(batcher.add("c", 2)).isTrue();
        assertThat(batcher.drain()).containsExactly("a", "b", "c");
        assertThat(batcher.isEmpty()).isTrue();
    }

    @Test
    void aLoneItemRunsAfterMaxDelay() {
        batcher.add("a", 100);
        assertThat(batcher.isDue(109)).isFalse();
        assertThat(batcher.isDue(110)).isTrue();
    }

    @Test
    void aPartialBatchWaitsWhileItemsKeepArriving() {
        batcher.add("a", 100);
        batcher.add("b", 105);
        assertThat(batcher.isDue(110)).as("oldest waited max delay, but b arrived 5 ms ago").isFalse();
        assertThat(batcher.isDue(115)).as("nothing new for max delay").isTrue();
    }

    @Test
    void aBatchThatKeepsGrowingRunsAfterTheBacklogPatience() {
        MicroBatcher<Integer> wide = new MicroBatcher<>(new BatchPolicy(1000, Duration.ofMillis(10)));
        long limit = 10L * MicroBatcher.BACKLOG_PATIENCE;
        for (long now = 0; now < limit; now += 2) {
            wide.add((int) now, now);
            assertThat(wide.isDue(now)).as("growing at %d ms", now).isFalse();
        }
        wide.add(-1, limit);
        assertThat(wide.isDue(limit)).as("growing, but waited %d ms", limit).isTrue();
    }

    @Test
    void itemsDelayedByABusyHostAreNotABacklog() {
        batcher.add("a", 100, 120); // a model run and a commit kept the poll waiting: 120 ms late
        assertThat(batcher.isBehind()).isFalse();
        assertThat(batcher.isDue(110)).as("runs after max delay, as any caught-up item").isTrue();
        batcher.add("b", 200, MicroBatcher.BACKLOG_AGE.toMillis() + 1);
        assertThat(batcher.isBehind()).as("half a second late: a backlog").isTrue();
        assertThat(batcher.isDue(210)).isFalse();
    }

    @Test
    void behindABacklogABatchFillsToMaxSizeAndRunsEarlierOnlyWhenTheBacklogEnds() {
        MicroBatcher<Integer> wide = new MicroBatcher<>(new BatchPolicy(1000, Duration.ofMillis(10)));
        for (int i = 0; i < 20; i++) {
            wide.add(i, i * 25L, 2_000);
            assertThat(wide.isDue(i * 25L + 24)).as("items 25 ms apart, each already 2 s old").isFalse();
        }
        long lastAdd = 19 * 25L;
        assertThat(wide.isDue(lastAdd + 10L * MicroBatcher.BACKLOG_PATIENCE - 1)).isFalse();
        assertThat(wide.isDue(lastAdd + 10L * MicroBatcher.BACKLOG_PATIENCE)).as("backlog over").isTrue();
    }

    @Test
    void anEmptyBatchIsNeverDue() {
        assertThat(batcher.isDue(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void drainTakesAtMostMaxSizeOldestFirstAndRestartsTheClock() {
        for (int i = 0; i < 5; i++) {
            batcher.add("item" + i, i);
        }
        assertThat(batcher.drain()).containsExactly("item0", "item1", "item2");
        assertThat(batcher.size()).isEqualTo(2);
        batcher.drain();
        batcher.add("late", 500);
        assertThat(batcher.isDue(505)).isFalse();
        assertThat(batcher.isDue(510)).isTrue();
    }

    @Test
    void policyRejectsNonsense() {
        assertThatThrownBy(() -> new BatchPolicy(0, Duration.ZERO)).hasMessageContaining("max batch size");
        assertThatThrownBy(() -> new BatchPolicy(1, Duration.ofMillis(-1))).hasMessageContaining("max batch delay");
    }
}
