package org.lesiontriage.bench.e2e;

import java.util.Arrays;
import java.util.List;

/**
 * Where the benchmark JVM's CPU goes, by thread. The first four are the service: what a deployment of the triage
 * service would run (the broker, the load generator and the collector are the benchmark's stand-ins for the rest
 * of the system). JVM housekeeping (GC, JIT) is shown apart: the JVM hosts the broker and the load generator too,
 * so its share cannot be split fairly.
 */
enum CpuGroup {
    /** Kafka Streams' stream threads: poll, Avro, batching, the part of each inference ONNX Runtime runs on them. */
    STREAM_THREADS("stream_threads", true),
    /** The topology's image decode + preprocess pool, where there is one. */
    DECODE_POOL("decode_pool", true),
    /** ONNX Runtime's intra-op worker threads (native; the calling stream thread is one more worker). */
    ONNXRUNTIME("onnxruntime", true),
    /** The streams app's other threads: producer network threads, consumer heartbeat, admin client, state updater. */
    STREAMS_CLIENTS("streams_clients", true),
    BROKER("broker", false),
    /** The load generator and the result collector: their threads and their Kafka clients' threads. */
    LOAD_GENERATOR("load_generator", false),
    /** Garbage collection: GC and G1 worker threads and the VM thread that runs their safepoints. */
    JVM_GC("jvm_gc", false),
    /** The JIT compilers. */
    JVM_COMPILER("jvm_compiler", false),
    OTHER("other", false);

    /** The service's groups: what "service CPU per event" adds up. */
    static final List<CpuGroup> SERVICE = Arrays.stream(values()).filter(g -> g.service).toList();

    private final String key;
    private final boolean service;

    CpuGroup(String key, boolean service) {
        this.key = key;
        this.service = service;
    }

    /** The group's name in the JSON report. */
    String key() {
        return key;
    }
}
