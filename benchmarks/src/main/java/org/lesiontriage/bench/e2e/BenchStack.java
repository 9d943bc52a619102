package org.lesiontriage.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import org.lesiontriage.stack.KafkaBroker;
import org.lesiontriage.stack.RegistryServer;
import org.lesiontriage.triage.topology.TriageTopics;

/** The real broker (in this JVM) and the real schema registry (its own JVM), on loopback, for one benchmark. */
final class BenchStack implements AutoCloseable {

    private final KafkaBroker broker;
    private final RegistryServer registry;
    private final Path workDir;

    private BenchStack(KafkaBroker broker, RegistryServer registry, Path workDir) {
        this.broker = broker;
        this.registry = registry;
        this.workDir = workDir;
    }

    /** Starts both; the broker's threads are tagged as the broker's. */
    static BenchStack start(ThreadClassifier threads, Map<String, String> brokerSettings) throws Exception {
        Path work = Files.createTempDirectory("triage-bench");
        KafkaBroker broker = threads.tagNewThreads(CpuGroup.BROKER, () -> KafkaBroker.startEphemeral(brokerSettings));
        BenchStack stack = new BenchStack(broker, RegistryServer.start(0, 0, work), work);
        // The registry is a child JVM: stop it even when the benchmark is interrupted.
        Runtime.getRuntime().addShutdownHook(new Thread(stack.registry::close, "stop-registry"));
        return stack;
    }

    /**
     * Fresh topics per scenario, so no run reads another's records; the shadow results topic has the images'
     * partitions, as bin/stack creates it.
     */
    TriageTopics createTopics(String suffix, int imagePartitions) {
        TriageTopics topics = new TriageTopics("lesion-images-" + suffix, "triage-results-" + suffix,
                "triage-failures-" + suffix, "triage-shadow-results-" + suffix);
        broker.createTopics(Map.of(topics.images(), imagePartitions, topics.results(), imagePartitions,
                topics.failures(), 1, topics.shadowResults(), imagePartitions));
        return topics;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    Map<String, Object> serdeConfig() {
        return Map.of("schema.registry.url", registry.confluentUrl());
    }

    /** The registry's process, whose CPU the benchmark reads from /proc. */
    long registryPid() {
        return registry.pid();
    }

    Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
        try (var files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; the OS removes it eventually
        }
    }
}
