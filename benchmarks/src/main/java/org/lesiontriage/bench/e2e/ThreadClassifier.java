package org.lesiontriage.bench.e2e;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.lesiontriage.bench.common.ProcCpu;
import org.lesiontriage.bench.common.TaskStat;

/**
 * Tells which {@link CpuGroup} a thread of this JVM belongs to, from what Linux knows of it: its name (comm, the
 * first 15 characters of the Java name the thread had when it started; native threads inherit their creator's)
 * and, where names are shared (every Kafka producer's network thread is "kafka-producer-"), from which component
 * was starting when the thread was born ({@link #tagNewThreads}).
 *
 * <p>Order: distinctive names first, then birth tags, then the names of the broker's threads, else OTHER. A
 * thread another component happens to start during a tagging window is mis-tagged unless its name is
 * distinctive; the benchmark starts components one at a time, so that is rare.
 */
final class ThreadClassifier {

    /** The streams app's client.id: its stream threads are "triage-StreamThread-N", comm "triage-StreamTh". */
    static final String STREAMS_CLIENT_ID = "triage";
    /** The thread that creates the ONNX Runtime session: its intra-op pool threads inherit this name. */
    static final String ONNXRUNTIME_THREAD = "ort-intra-op";
    /** The thread that publishes the load. */
    static final String LOAD_THREAD = "load-generator";
    /** The topology's decode pool names its threads so. */
    static final String DECODE_POOL_PREFIX = org.lesiontriage.triage.imaging.PreprocessingPool.THREAD_NAME_PREFIX;

    private static final int COMM_LENGTH = 15;

    private static final List<Rule> BY_NAME = List.of(
            new Rule(STREAMS_CLIENT_ID + "-StreamThread-", CpuGroup.STREAM_THREADS),
            new Rule(DECODE_POOL_PREFIX, CpuGroup.DECODE_POOL),
            new Rule(ONNXRUNTIME_THREAD, CpuGroup.ONNXRUNTIME),
            new Rule(STREAMS_CLIENT_ID + "-", CpuGroup.STREAMS_CLIENTS),
            new Rule(LOAD_THREAD, CpuGroup.LOAD_GENERATOR),
            new Rule("GC Thread#", CpuGroup.JVM_GC),
            new Rule("G1 ", CpuGroup.JVM_GC),
            new Rule("VM Thread", CpuGroup.JVM_GC),
            new Rule("C1 CompilerThread", CpuGroup.JVM_COMPILER),
            new Rule("C2 CompilerThread", CpuGroup.JVM_COMPILER),
            new Rule("Sweeper thread", CpuGroup.JVM_COMPILER));

    /** Kafka broker threads (KRaft, combined mode) that may start after the broker's tagging window. */
    private static final List<Rule> BROKER_NAMES = List.of(
            new Rule("data-plane-kafka-", CpuGroup.BROKER),
            new Rule("kafka-request-handler-", CpuGroup.BROKER),
            new Rule("ExpirationReaper-", CpuGroup.BROKER),
            new Rule("quorum-controller-", CpuGroup.BROKER),
            new Rule("kafka-1-raft-", CpuGroup.BROKER),
            new Rule("group-coordinator-", CpuGroup.BROKER),
            new Rule("share-coordinator-", CpuGroup.BROKER),
            new Rule("transaction-log-manager-", CpuGroup.BROKER),
            new Rule("TxnMarkerSenderThread-", CpuGroup.BROKER),
            new Rule("kafka-scheduler-", CpuGroup.BROKER),
            new Rule("kafka-log-cleaner-", CpuGroup.BROKER),
            new Rule("LogDirFailureHandler", CpuGroup.BROKER));

    private final ProcCpu proc;
    private final Map<TaskStat.Key, CpuGroup> born = new ConcurrentHashMap<>();

    ThreadClassifier(ProcCpu proc) {
        this.proc = proc;
    }

    CpuGroup classify(TaskStat thread) {
        return match(BY_NAME, thread.comm()).orElseGet(() -> born.getOrDefault(thread.key(),
                match(BROKER_NAMES, thread.comm()).orElse(CpuGroup.OTHER)));
    }

    /** Runs {@code start} and tags the threads this process gained meanwhile (those still alive) with {@code group}. */
    <T> T tagNewThreads(CpuGroup group, Callable<T> start) throws Exception {
        Set<TaskStat.Key> before = proc.threads().keySet();
        T started = start.call();
        for (TaskStat.Key thread : proc.threads().keySet()) {
            if (!before.contains(thread)) {
                born.putIfAbsent(thread, group);
            }
        }
        return started;
    }

    /** Tags the calling thread (for a generic name such as the launcher's "java" main thread). */
    void tagCurrentThread(CpuGroup group) {
        born.put(proc.currentThread().key(), group);
    }

    private static Optional<CpuGroup> match(List<Rule> rules, String comm) {
        return rules.stream().filter(rule -> rule.matches(comm)).map(Rule::group).findFirst();
    }

    /** A Java thread-name prefix, compared as Linux keeps it: cut to 15 characters. */
    private record Rule(String prefix, CpuGroup group) {
        boolean matches(String comm) {
            return comm.startsWith(prefix.substring(0, Math.min(prefix.length(), COMM_LENGTH)));
        }
    }
}
