package org.lesiontriage.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.bench.common.ProcCpu;
import org.lesiontriage.bench.common.ProcFixture;

@Tag("unit")
class ThreadCpuMeterTest {

    @TempDir
    Path root;

    @Test
    void splitsWhatEachGroupUsedBetweenTwoReadingsAndKeepsWhatEndedThreadsUsedApart() {
        ProcFixture proc = new ProcFixture(root).self(100, 0).process(900, "java", 40)
                .thread(1, "triage-StreamTh", 50, 10).thread(2, "ort-intra-op", 20, 11)
                .thread(3, "GC Thread#0", 5, 12).thread(4, "kafka-admin-cli", 7, 13);
        ProcCpu cpu = new ProcCpu(root);
        ThreadCpuMeter meter = new ThreadCpuMeter(cpu, new ThreadClassifier(cpu), 900);
        ThreadCpuMeter.Reading before = meter.read();

        // stream thread +30 ticks, ORT +40, a new producer thread 6, the admin thread (7 + 2 more) ends;
        // the process total grows by the 76 the live threads show plus the 2 the ended one used
        proc.thread(1, "triage-StreamTh", 80, 10).thread(2, "ort-intra-op", 60, 11)
                .thread(5, "triage-StreamTh", 6, 14).end(4).self(178, 0).process(900, "java", 55);
        CpuBreakdown used = meter.between(before, meter.read());

        assertThat(used.msByGroup()).containsEntry(CpuGroup.STREAM_THREADS, 360.0)
                .containsEntry(CpuGroup.ONNXRUNTIME, 400.0).containsEntry(CpuGroup.JVM_GC, 0.0)
                .containsEntry(CpuGroup.BROKER, 0.0);
        assertThat(used.processMs()).isEqualTo(780.0);
        assertThat(used.endedMs()).isEqualTo(20.0);
        assertThat(used.registryMs()).isEqualTo(150.0);
        assertThat(used.serviceMs()).isEqualTo(760.0);
        assertThat(used.busiest().get(0)).isEqualTo(new CpuBreakdown.ThreadName("ort-intra-op", "onnxruntime", 1, 400.0));
        assertThat(used.busiest().get(1)).isEqualTo(
                new CpuBreakdown.ThreadName("triage-StreamTh", "stream_threads", 2, 360.0));

        Map<String, Double> perEvent = used.perEvent(10);
        assertThat(perEvent.keySet()).startsWith("stream_threads", "decode_pool", "onnxruntime", "streams_clients")
                .endsWith("ended_threads", "this_jvm", "registry");
        assertThat(perEvent.get("stream_threads")).isCloseTo(36.0, within(1e-9));
        assertThat(perEvent.get("registry")).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void aRegistryThatCannotBeReadIsNullNotZero() {
        new ProcFixture(root).self(1, 0).thread(1, "java", 1, 1);
        ProcCpu cpu = new ProcCpu(root);
        ThreadCpuMeter meter = new ThreadCpuMeter(cpu, new ThreadClassifier(cpu), 4321);

        CpuBreakdown used = meter.between(meter.read(), meter.read());

        assertThat(used.registryMs()).isNull();
        assertThat(used.perEvent(1)).containsEntry("registry", null);
    }
}
