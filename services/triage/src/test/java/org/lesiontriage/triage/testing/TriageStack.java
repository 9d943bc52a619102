package org.lesiontriage.triage.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.lesiontriage.stack.KafkaBroker;
import org.lesiontriage.stack.RegistryServer;
import org.lesiontriage.triage.topology.Topics;

/** A real in-process KRaft broker with the triage topics, and a real schema registry, for one test class. */
public final class TriageStack implements AutoCloseable {

    private final KafkaBroker broker;
    private final RegistryServer registry;
    private final Path workDir;

    private TriageStack(KafkaBroker broker, RegistryServer registry, Path workDir) {
        this.broker = broker;
        this.registry = registry;
        this.workDir = workDir;
    }

    public static TriageStack start() {
        try {
            Path work = Files.createTempDirectory("triage-stack");
            KafkaBroker broker = KafkaBroker.startEphemeral();
            broker.createTopics(Map.of(Topics.LESION_IMAGES, 2, Topics.TRIAGE_RESULTS, 2, Topics.TRIAGE_FAILURES, 1));
            return new TriageStack(broker, RegistryServer.start(0, 0, work), work);
        } catch (IOException e) {
            throw new IllegalStateException("Test stack did not start", e);
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.confluentUrl();
    }

    public Map<String, Object> serdeConfig() {
        return Map.of("schema.registry.url", registryUrl());
    }

    public KafkaBroker broker() {
        return broker;
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp folder; the OS cleans it eventually
        }
    }
}
