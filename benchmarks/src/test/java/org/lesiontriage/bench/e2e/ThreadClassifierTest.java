package org.lesiontriage.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.bench.common.ProcCpu;
import org.lesiontriage.bench.common.ProcFixture;
import org.lesiontriage.bench.common.TaskStat;

@Tag("unit")
class ThreadClassifierTest {

    @TempDir
    Path root;

    private ThreadClassifier classifier() {
        return new ThreadClassifier(new ProcCpu(root));
    }

    private static TaskStat thread(long tid, String comm) {
        return new TaskStat(tid, comm, 1, 0);
    }

    @Test
    void knowsThreadsByTheirNamesAsLinuxCutsThemTo15Characters() {
        ThreadClassifier classifier = classifier();

        assertThat(classifier.classify(thread(1, "triage-StreamTh"))).isEqualTo(CpuGroup.STREAM_THREADS);
        assertThat(classifier.classify(thread(2, "triage-preproce"))).isEqualTo(CpuGroup.DECODE_POOL);
        assertThat(classifier.classify(thread(3, "ort-intra-op"))).isEqualTo(CpuGroup.ONNXRUNTIME);
        assertThat(classifier.classify(thread(4, "triage-StateUpd"))).isEqualTo(CpuGroup.STREAMS_CLIENTS);
        assertThat(classifier.classify(thread(5, "load-generator"))).isEqualTo(CpuGroup.LOAD_GENERATOR);
        assertThat(classifier.classify(thread(6, "GC Thread#1"))).isEqualTo(CpuGroup.JVM_GC);
        assertThat(classifier.classify(thread(7, "G1 Conc#0"))).isEqualTo(CpuGroup.JVM_GC);
        assertThat(classifier.classify(thread(8, "C2 CompilerThre"))).isEqualTo(CpuGroup.JVM_COMPILER);
        assertThat(classifier.classify(thread(9, "data-plane-kafk"))).isEqualTo(CpuGroup.BROKER);
        assertThat(classifier.classify(thread(10, "kafka-producer-"))).isEqualTo(CpuGroup.OTHER);
    }

    @Test
    void aSharedNameBelongsToTheComponentThatWasStartingWhenTheThreadWasBorn() throws Exception {
        ProcFixture proc = new ProcFixture(root).thread(1, "java", 0, 1);
        ThreadClassifier classifier = classifier();

        String started = classifier.tagNewThreads(CpuGroup.STREAMS_CLIENTS, () -> {
            proc.thread(20, "kafka-producer-", 0, 50).thread(21, "triage-StreamTh", 0, 50);
            return "streams";
        });
        classifier.tagNewThreads(CpuGroup.LOAD_GENERATOR, () -> proc.thread(30, "kafka-producer-", 0, 60));

        assertThat(started).isEqualTo("streams");
        assertThat(classifier.classify(new TaskStat(20, "kafka-producer-", 50, 9))).isEqualTo(CpuGroup.STREAMS_CLIENTS);
        assertThat(classifier.classify(new TaskStat(30, "kafka-producer-", 60, 9))).isEqualTo(CpuGroup.LOAD_GENERATOR);
        // a distinctive name wins over the window it was born in; a reused id is a new thread
        assertThat(classifier.classify(new TaskStat(21, "triage-StreamTh", 50, 9))).isEqualTo(CpuGroup.STREAM_THREADS);
        assertThat(classifier.classify(new TaskStat(20, "kafka-producer-", 70, 9))).isEqualTo(CpuGroup.OTHER);
        assertThat(classifier.classify(new TaskStat(1, "java", 1, 9))).isEqualTo(CpuGroup.OTHER);
    }

    @Test
    void theCallingThreadCanTagItself() {
        new ProcFixture(root).threadSelf(1, "java", 3);
        ThreadClassifier classifier = classifier();

        classifier.tagCurrentThread(CpuGroup.LOAD_GENERATOR);

        assertThat(classifier.classify(new TaskStat(1, "java", 3, 0))).isEqualTo(CpuGroup.LOAD_GENERATOR);
    }
}
