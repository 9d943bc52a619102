package org.lesiontriage.bench.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ProcCpuTest {

    @TempDir
    Path proc;

    @Test
    void listsThisProcessesThreadsWithTheirNamesAndTicks() {
        new ProcFixture(proc).self(40, 2).thread(100, "java", 30, 5).thread(101, "GC Thread#0", 12, 6);
        ProcCpu cpu = new ProcCpu(proc);

        assertThat(cpu.threads().values()).containsExactlyInAnyOrder(
                new TaskStat(100, "java", 5, 30), new TaskStat(101, "GC Thread#0", 6, 12));
        assertThat(cpu.selfTicks()).isEqualTo(42);
        assertThat(cpu.available()).isTrue();
    }

    @Test
    void readsAnotherProcessAndTheCallingThreadAndSaysWhenAProcessIsGone() {
        new ProcFixture(proc).self(1, 0).process(555, "java", 70).threadSelf(123, "main thread", 9);
        ProcCpu cpu = new ProcCpu(proc);

        assertThat(cpu.processTicks(555)).hasValue(70);
        assertThat(cpu.processTicks(556)).isEmpty();
        assertThat(cpu.currentThread().key()).isEqualTo(new TaskStat.Key(123, 9));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theMachinesOwnProcIsReadable() {
        ProcCpu cpu = new ProcCpu();

        assertThat(cpu.available()).isTrue();
        assertThat(cpu.threads()).containsKey(cpu.currentThread().key());
    }
}
