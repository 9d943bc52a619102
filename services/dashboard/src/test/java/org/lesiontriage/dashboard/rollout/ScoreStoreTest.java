package org.lesiontriage.dashboard.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.common.compare.ScoredEvent;

@Tag("unit")
class ScoreStoreTest {

    private static final long HOUR = 3_600_000;
    private static final long NOW = 1_000 * HOUR;

    @Test
    void keepsTheNewestReadUpToItsCapAndRemembersWhatItLetGo() {
        ScoreStore store = new ScoreStore(3, 24 * HOUR);
        for (int i = 0; i < 5; i++) {
            add(store, "e" + i, NOW - (5 - i) * HOUR);
        }
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.within(0, Long.MAX_VALUE, NOW)).containsOnlyKeys("e2", "e3", "e4");
        assertThat(store.newestLetGoMs()).isEqualTo(NOW - 4 * HOUR);
    }

    @Test
    void holdsNothingOlderThanItsMaxAge() {
        ScoreStore store = new ScoreStore(100, 2 * HOUR);
        add(store, "too-old", NOW - 3 * HOUR);
        add(store, "old", NOW - HOUR - 1);
        add(store, "new", NOW - 1);
        assertThat(store.within(0, Long.MAX_VALUE, NOW)).containsOnlyKeys("old", "new");
        assertThat(store.newestLetGoMs()).isEqualTo(NOW - 3 * HOUR);

        // an hour later "old" is past the max age: let go when the store is next asked
        assertThat(store.within(0, Long.MAX_VALUE, NOW + HOUR)).containsOnlyKeys("new");
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.newestLetGoMs()).isEqualTo(NOW - HOUR - 1);
    }

    @Test
    void aWindowSelectsByReceivedTimeAndAnEventReadTwiceKeepsItsLastScore() {
        ScoreStore store = new ScoreStore(100, 24 * HOUR);
        add(store, "before", NOW - 2 * HOUR);
        add(store, "inside", NOW - HOUR);
        store.add("inside", 0.9, true, "triagenet 3.0.0", "clinic-a", NOW - HOUR, NOW);

        Map<String, ScoredEvent> window = store.within(NOW - HOUR, Long.MAX_VALUE, NOW);
        assertThat(window).containsOnlyKeys("inside");
        assertThat(window.get("inside").melanomaProbability()).isEqualTo(0.9);
        assertThat(window.get("inside").model()).isEqualTo("triagenet 3.0.0");
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.newestLetGoMs()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void sharesClinicAndModelNamesBetweenEvents() {
        ScoreStore store = new ScoreStore(100, 24 * HOUR);
        store.add("a", 0.1, false, new String("triagenet 2.0.0"), new String("clinic-a"), NOW, NOW);
        store.add("b", 0.2, false, new String("triagenet 2.0.0"), new String("clinic-a"), NOW, NOW);
        Map<String, ScoredEvent> all = store.within(0, Long.MAX_VALUE, NOW);
        assertThat(all.get("a").model()).isSameAs(all.get("b").model());
        assertThat(all.get("a").clinicId()).isSameAs(all.get("b").clinicId());
    }

    @Test
    void refusesAnEmptyBound() {
        assertThatThrownBy(() -> new ScoreStore(0, HOUR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScoreStore(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void add(ScoreStore store, String id, long receivedAtMs) {
        store.add(id, 0.5, true, "triagenet 2.0.0", "clinic-a", receivedAtMs, NOW);
    }
}
