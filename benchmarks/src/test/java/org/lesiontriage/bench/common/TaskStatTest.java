package org.lesiontriage.bench.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TaskStatTest {

    @Test
    void readsIdNameStartAndUserPlusSystemTicksOfALinuxStatLine() {
        TaskStat stat = TaskStat.parse("1 (process_api) S 0 0 0 0 -1 4194560 189161 269357600 0 21840 997 7118 "
                + "2632785 280066 20 0 13 0 25 41988096 2961 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 0 "
                + "0 0 0 0 0 0 0 0 0 0 0 0 0\n");

        assertThat(stat).isEqualTo(new TaskStat(1, "process_api", 25, 997 + 7118));
    }

    @Test
    void aNameWithSpacesAndParenthesesEndsAtTheLastParenthesis() {
        TaskStat gc = TaskStat.parse(ProcFixture.statLine(4242, "GC Thread#0", 12, 3, 900));
        TaskStat odd = TaskStat.parse(ProcFixture.statLine(77, "a) b (c) S 1 2", 5, 6, 10));

        assertThat(gc).isEqualTo(new TaskStat(4242, "GC Thread#0", 900, 15));
        assertThat(odd.comm()).isEqualTo("a) b (c) S 1 2");
        assertThat(odd.cpuTicks()).isEqualTo(11);
        assertThat(odd.startTicks()).isEqualTo(10);
    }

    @Test
    void theSameIdWithAnotherStartTimeIsAnotherThread() {
        TaskStat first = TaskStat.parse(ProcFixture.statLine(10, "worker", 1, 0, 100));
        TaskStat reused = TaskStat.parse(ProcFixture.statLine(10, "worker", 1, 0, 200));

        assertThat(first.key()).isNotEqualTo(reused.key());
    }

    @Test
    void refusesTextThatIsNoStatLine() {
        assertThatThrownBy(() -> TaskStat.parse("no parentheses here")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskStat.parse("1 (short) S 0 0")).hasMessageContaining("Too few fields");
    }
}
