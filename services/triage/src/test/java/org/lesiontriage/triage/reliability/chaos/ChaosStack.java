package org.lesiontriage.triage.reliability.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.lesiontriage.stack.FreePorts;
import org.lesiontriage.stack.RegistryServer;
import org.lesiontriage.triage.testing.PathingJar;

/**
 * The processes of a chaos or soak run, each its own OS process so that it can be killed or restarted: a KRaft broker
 * ({@link ChaosBroker}, persistent log folder), a schema registry (H2 storage, so schema ids survive its restart) on
 * fixed ports, and the packaged service. Everything lives in one work folder.
 */
final class ChaosStack implements AutoCloseable {

    /** Where the service runs from, and how fast a killed member's partitions move (see docs/reliability.md). */
    record ServiceSettings(Path jar, Path modelDir, long sessionTimeoutMs) {
    }

    private final Path workDir;
    private final ServiceSettings settings;
    private final Consumer<String> log;
    private final Path pathingJar;
    private final int kafkaPort = FreePorts.pick();
    private final int[] registryPorts = FreePorts.pickDistinct(2);
    private Process broker;
    private int brokerStarts;
    private RegistryServer registry;
    private Process service;
    private int serviceGeneration;
    private int serviceHttpPort;

    /** The packaged service, or the copy that bin/chaos and bin/soak run from (property reliability.service.jar). */
    static Path defaultServiceJar() {
        return Path.of(System.getProperty("reliability.service.jar", "services/triage/target/quarkus-app/quarkus-run.jar"));
    }

    ChaosStack(Path workDir, ServiceSettings settings, Consumer<String> log) throws IOException {
        if (!Files.isRegularFile(settings.jar())) {
            throw new IllegalStateException("no packaged service at " + settings.jar() + " (./mvnw -B install -DskipTests)");
        }
        this.workDir = workDir;
        this.settings = settings;
        this.log = log;
        this.pathingJar = PathingJar.create(Files.createDirectories(workDir.resolve("cp")), System.getProperty("java.class.path"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process child : new Process[] {service, broker}) {
                if (child != null) {
                    child.destroyForcibly();
                }
            }
            if (registry != null) {
                registry.close();
            }
        }, "chaos-cleanup"));
    }

    /** Broker and registry, ready. */
    void startInfrastructure() throws IOException, InterruptedException {
        startBroker();
        startRegistry();
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    Map<String, Object> serdeConfig() {
        return Map.of("schema.registry.url", registry.confluentUrl());
    }

    Path workDir() {
        return workDir;
    }

    // ---- broker ---------------------------------------------------------------------------------------------------

    private void startBroker() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path brokerLog = workDir.resolve("broker.log");
        broker = new ProcessBuilder(java, "-Xmx768m", "-cp", pathingJar.toString(),
                ChaosBroker.class.getName(), String.valueOf(kafkaPort), workDir.resolve("kafka").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
                .start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(brokerLog) || occurrences(Files.readString(brokerLog), "BROKER READY") < brokerStarts + 1) {
            if (!broker.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("broker did not start; see " + brokerLog);
            }
            Thread.sleep(200);
        }
        brokerStarts++;
        log.accept(String.format("broker up on %s (start %d)", bootstrap(), brokerStarts));
    }

    /** SIGTERM, then a new broker on the same port and log folder. */
    void restartBroker() throws IOException, InterruptedException {
        broker.destroy();
        if (!broker.waitFor(60, TimeUnit.SECONDS)) {
            broker.destroyForcibly().waitFor();
        }
        startBroker();
    }

    // ---- registry -------------------------------------------------------------------------------------------------

    private void startRegistry() throws IOException {
        registry = RegistryServer.start(registryPorts[0], registryPorts[1], workDir.resolve("registry"), true);
        log.accept("registry up at " + registry.confluentUrl());
    }

    /** SIGTERM, then a new registry on the same ports and database. */
    void restartRegistry() throws IOException {
        registry.close();
        startRegistry();
    }

    // ---- service --------------------------------------------------------------------------------------------------

    void startService() throws IOException {
        serviceGeneration++;
        serviceHttpPort = FreePorts.pick();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long session = settings.sessionTimeoutMs();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g",
                "-Dkafka-streams.consumer.session.timeout.ms=" + session,
                "-Dkafka-streams.consumer.heartbeat.interval.ms=" + Math.max(500, session / 6),
                "-Dkafka-streams.state.dir=" + workDir.resolve("state"),
                "-Dkafka-streams.producer.delivery.timeout.ms=300000",
                "-jar", settings.jar().toString());
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap());
        builder.environment().put("SCHEMA_REGISTRY_URL", registry.confluentUrl());
        builder.environment().put("TRIAGE_MODEL_DIR", settings.modelDir().toString());
        builder.environment().put("TRIAGE_HTTP_PORT", String.valueOf(serviceHttpPort));
        builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("service.log").toFile()));
        service = builder.start();
        log.accept(String.format("service started (generation %d, pid %d, http %d)", serviceGeneration, service.pid(),
                serviceHttpPort));
    }

    /** SIGKILL; returns the pid that was killed. */
    long killService() throws InterruptedException {
        service.destroyForcibly();
        service.waitFor();
        return service.pid();
    }

    long servicePid() {
        return service.pid();
    }

    boolean serviceAlive() {
        return service != null && service.isAlive();
    }

    int serviceHttpPort() {
        return serviceHttpPort;
    }

    Path serviceLog() {
        return workDir.resolve("service.log");
    }

    @Override
    public void close() throws InterruptedException {
        if (service != null) {
            service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
            broker.destroyForcibly();
        }
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
