package org.lesiontriage.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.lesiontriage.stack.tls.LoopbackTls;

/**
 * A real schema registry server (Apicurio Registry, in-memory storage) run as a child process on loopback.
 * Clients speak the Confluent protocol to it at {@link #confluentUrl()}.
 *
 * <p>Apicurio 3 needs Java 21+, while the project builds on 17, so the server runs on its own JVM, found by
 * {@link JavaRuntimes}.
 */
public final class RegistryServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** Name of the registry's own TLS configuration: only the API port uses it, health stays on plain HTTP. */
    private static final String TLS_CONFIGURATION = "registry";

    private final int httpPort;
    private final int managementPort;
    private final Path logFile;
    private final Process process;
    private final LoopbackTls tls;

    private RegistryServer(int httpPort, int managementPort, Path logFile, Process process, LoopbackTls tls) {
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.logFile = logFile;
        this.process = process;
        this.tls = tls;
    }

    /** Starts an in-memory registry on the given ports (0 = any free port); see {@link #start(int, int, Path, boolean)}. */
    public static RegistryServer start(int httpPort, int managementPort, Path workDir) throws IOException {
        return start(httpPort, managementPort, workDir, false);
    }

    /**
     * Starts a registry on the given ports (0 = any free port), waits until it is ready and sets BACKWARD
     * compatibility.
     *
     * @param persistent keep schemas in an H2 database under workDir, so that schema ids stay valid for the
     *                   records a persistent broker keeps across restarts; otherwise in memory
     */
    public static RegistryServer start(int httpPort, int managementPort, Path workDir, boolean persistent)
            throws IOException {
        return start(httpPort, managementPort, workDir, persistent, null);
    }

    /**
     * Starts an in-memory registry on free ports that serves its API over HTTPS only, with {@code tls}'s server
     * certificate; clients need the CA in their truststore. Plain HTTP requests are refused.
     */
    public static RegistryServer startHttps(Path workDir, LoopbackTls tls) throws IOException {
        return start(0, 0, workDir, false, tls);
    }

    private static RegistryServer start(int httpPort, int managementPort, Path workDir, boolean persistent,
            LoopbackTls tls) throws IOException {
        int[] free = FreePorts.pickDistinct(3); // API, management, and the unused plain port of an HTTPS-only registry
        int http = httpPort == 0 ? free[0] : httpPort;
        int management = managementPort == 0 ? free[1] : managementPort;
        Path distribution = RegistryDistribution.locate();
        Files.createDirectories(workDir);
        Path log = workDir.resolve("registry.log");
        Path pidFile = workDir.resolve("registry.pid");
        stopLeftover(pidFile);

        List<String> command = new ArrayList<>();
        command.add(JavaRuntimes.atLeast(21).resolve("bin/java").toString());
        command.add("-Xmx512m");
        command.add("-Dquarkus.http.host=127.0.0.1");
        if (tls == null) {
            command.add("-Dquarkus.http.port=" + http);
        } else {
            command.add("-Dquarkus.http.port=" + free[2]); // unused: insecure requests are disabled
            command.add("-Dquarkus.http.ssl-port=" + http);
            command.add("-Dquarkus.http.insecure-requests=disabled");
            command.add("-Dquarkus.http.tls-configuration-name=" + TLS_CONFIGURATION);
            command.add("-Dquarkus.tls." + TLS_CONFIGURATION + ".key-store.p12.path=" + tls.keystore());
        }
        command.add("-Dquarkus.management.host=127.0.0.1");
        command.add("-Dquarkus.management.port=" + management);
        if (persistent) {
            command.add("-Dapicurio.storage.kind=sql");
            command.add("-Dapicurio.storage.sql.kind=h2");
            command.add("-Dapicurio.datasource.url=jdbc:h2:file:" + workDir.toAbsolutePath().resolve("registry-db"));
        }
        command.add("-jar");
        command.add(distribution.resolve("quarkus-run.jar").toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (tls != null) {
            // In the environment, not on the command line, where any process listing would show it.
            // (quarkus.tls.registry.key-store.p12.password as Quarkus reads it from the environment).
            builder.environment().put("QUARKUS_TLS_REGISTRY_KEY_STORE_P12_PASSWORD", tls.password());
        }
        Process process = builder.start();
        Files.writeString(pidFile, Long.toString(process.pid()));
        RegistryServer server = new RegistryServer(http, management, log, process, tls);
        try {
            server.awaitReady();
            server.setGlobalCompatibility("BACKWARD");
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** A registry whose parent was killed with -9 outlives it; the next start in the same folder stops it. */
    private static void stopLeftover(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid)
                .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar"))
                .ifPresent(leftover -> {
                    leftover.destroyForcibly();
                    leftover.onExit().join();
                });
        Files.delete(pidFile);
    }

    /** Base URL of the Confluent-compatible API, the value of {@code schema.registry.url}. */
    public String confluentUrl() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + httpPort + "/apis/ccompat/v7";
    }

    public int httpPort() {
        return httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitReady() throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Schema registry exited with code " + process.exitValue() + " during start; see " + logFile);
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                // Health is served on its own port, which can be up before the API's (seen with HTTPS).
                if (response.statusCode() == 200 && apiClient().send(HttpRequest.newBuilder(URI.create(confluentUrl()
                        + "/subjects")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for the schema registry", e);
            }
            sleep(200);
        }
        throw new IOException("Schema registry not ready after " + START_TIMEOUT.toSeconds() + " s; see " + logFile);
    }

    /** A client for the API port; over HTTPS it trusts the loopback CA. */
    private HttpClient apiClient() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
        if (tls != null) {
            builder.sslContext(tls.clientContext());
        }
        return builder.build();
    }

    private void setGlobalCompatibility(String level) throws IOException {
        HttpClient client = apiClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(confluentUrl() + "/config"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("Setting registry compatibility failed: HTTP " + response.statusCode() + " " + response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while configuring the schema registry", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
