package org.lesiontriage.triage.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.stack.KafkaBroker;
import org.lesiontriage.stack.RegistryServer;
import org.lesiontriage.stack.tls.LoopbackTls;
import org.lesiontriage.stack.tls.ScramUser;
import org.lesiontriage.triage.config.TriageSettings;
import org.lesiontriage.triage.pipeline.PipelineAssembly;

/**
 * A real in-process KRaft broker with the triage topics, and a real schema registry, for one test class; either
 * both in the clear, or a SASL_SSL broker and an HTTPS-only registry with a CA made for the run.
 */
public final class TriageStack implements AutoCloseable {

    private final KafkaBroker broker;
    private final RegistryServer registry;
    private final Path workDir;
    private final LoopbackTls tls;

    private TriageStack(KafkaBroker broker, RegistryServer registry, Path workDir, LoopbackTls tls) {
        this.broker = broker;
        this.registry = registry;
        this.workDir = workDir;
        this.tls = tls;
    }

    public static TriageStack start() {
        try {
            Path work = Files.createTempDirectory("triage-stack");
            KafkaBroker broker = KafkaBroker.startEphemeral();
            createTopics(broker);
            return new TriageStack(broker, RegistryServer.start(0, 0, work), work, null);
        } catch (IOException e) {
            throw new IllegalStateException("Test stack did not start", e);
        }
    }

    /** Clients must use SASL_SSL with SCRAM-SHA-512 (user {@code triage}, random password) and trust the test CA. */
    public static TriageStack startSaslSsl() {
        try {
            Path work = Files.createTempDirectory("triage-stack");
            LoopbackTls tls = LoopbackTls.generate(work.resolve("tls"));
            KafkaBroker broker = KafkaBroker.startSaslSsl(tls, ScramUser.random("triage"));
            createTopics(broker);
            return new TriageStack(broker, RegistryServer.startHttps(work.resolve("registry"), tls), work, tls);
        } catch (IOException e) {
            throw new IllegalStateException("Secured test stack did not start", e);
        }
    }

    private static void createTopics(KafkaBroker broker) {
        broker.createTopics(Map.of(Topics.LESION_IMAGES, 2, Topics.TRIAGE_RESULTS, 2, Topics.TRIAGE_FAILURES, 1,
                Topics.REVIEWS, 1, Topics.MODELS, 1, Topics.MODEL_STATUS, 1, Topics.ROLLOUTS, 1, Topics.SHADOW_RESULTS, 2));
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.confluentUrl();
    }

    /** Kafka client settings besides bootstrap.servers: none, or SASL_SSL with the credentials and the CA. */
    public Map<String, String> clientSecurity() {
        return broker.clientSecurity();
    }

    /** The registry serde's settings; for the secured stack with the test CA as truststore. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = new HashMap<>();
        serde.put("schema.registry.url", registryUrl());
        // A registry started moments ago answers its first writes slowly on a busy machine (lazy start-up of its
        // storage); the 10 s production default has been seen to run out there.
        serde.put("schema.registry.request.timeout.ms", 30_000);
        if (tls != null) {
            serde.putAll(tls.truststoreSettings("schema.registry."));
        }
        return serde;
    }

    /**
     * The pipeline as the service assembles it, against this stack (plain stack only), with the test's settings on
     * top; the environment of the machine running the tests is left out.
     */
    public PipelineAssembly pipeline(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put("quarkus.kafka-streams.bootstrap-servers", bootstrapServers());
        settings.put("triage.schema-registry.url", registryUrl());
        settings.put("triage.schema-registry.request-timeout", "30s");
        settings.put("triage.model.dir", TestModel.dir().toString());
        settings.putAll(overrides);
        return new PipelineAssembly(TriageSettings.load(settings, Map.of()));
    }

    /** The test CA and its password, for the secured stack. */
    public LoopbackTls tls() {
        return tls;
    }

    /** A temporary folder of this stack, deleted on close. */
    public Path workDir() {
        return workDir;
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
