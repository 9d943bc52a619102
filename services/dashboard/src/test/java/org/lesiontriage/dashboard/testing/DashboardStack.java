package org.lesiontriage.dashboard.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.security.UsersFiles;
import org.lesiontriage.stack.KafkaBroker;
import org.lesiontriage.stack.RegistryServer;

/**
 * A real in-process KRaft broker with the triage topics, a real schema registry, the users and roles files of a
 * clinician, an operator and someone with both roles (random passwords), and a stand-in for the service's
 * /q/metrics that serves a fixed scrape.
 */
public final class DashboardStack implements AutoCloseable {

    public static final String CLINICIAN = "nurse";
    public static final String OPERATOR = "ops";
    public static final String BOTH = "lead";

    private final KafkaBroker broker;
    private final RegistryServer registry;
    private final HttpServer metrics;
    private final Path workDir;
    private final Map<String, String> passwords = new HashMap<>();

    private DashboardStack(KafkaBroker broker, RegistryServer registry, HttpServer metrics, Path workDir) {
        this.broker = broker;
        this.registry = registry;
        this.metrics = metrics;
        this.workDir = workDir;
    }

    public static DashboardStack start() {
        try {
            Path work = Files.createTempDirectory("dashboard-stack");
            KafkaBroker broker = KafkaBroker.startEphemeral();
            broker.createTopics(Map.of(Topics.LESION_IMAGES, 2, Topics.TRIAGE_RESULTS, 2, Topics.TRIAGE_FAILURES, 1,
                    Topics.REVIEWS, 1, Topics.SHADOW_RESULTS, 2, Topics.ROLLOUTS, 1));
            RegistryServer registry = RegistryServer.start(0, 0, work.resolve("registry"));
            HttpServer metrics = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            metrics.createContext("/q/metrics", exchange -> {
                byte[] body = ServiceScrape.TEXT.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            metrics.start();
            DashboardStack stack = new DashboardStack(broker, registry, metrics, work);
            stack.writeUsers();
            return stack;
        } catch (IOException e) {
            throw new IllegalStateException("Dashboard test stack did not start", e);
        }
    }

    private void writeUsers() throws IOException {
        StringBuilder users = new StringBuilder();
        for (String user : new String[] {CLINICIAN, OPERATOR, BOTH}) {
            String password = UUID.randomUUID().toString();
            passwords.put(user, password);
            users.append(user).append('=').append(UsersFiles.digest(user, password.toCharArray())).append('\n');
        }
        Files.writeString(usersFile(), users);
        Files.writeString(rolesFile(), CLINICIAN + "=clinician\n" + OPERATOR + "=operator\n" + BOTH
                + "=clinician,operator\n");
    }

    /** The dashboard's settings against this stack, as the deployment's variables would give them. */
    public Map<String, String> dashboardConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers());
        config.put("schema-registry.url", registryUrl());
        // A registry started moments ago answers its first writes slowly on a busy machine.
        config.put("schema-registry.request-timeout-ms", "30000");
        config.put("dashboard.auth.users-file", usersFile().toString());
        config.put("dashboard.auth.roles-file", rolesFile().toString());
        config.put("dashboard.service-metrics-url", "http://127.0.0.1:" + metrics.getAddress().getPort() + "/q/metrics");
        config.put("dashboard.instance", "test");
        return config;
    }

    public String password(String user) {
        return passwords.get(user);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.confluentUrl();
    }

    public Map<String, Object> serdeConfig() {
        return Map.of("schema.registry.url", registryUrl(), "schema.registry.request.timeout.ms", 30_000);
    }

    public TriageTopicsPublisher publisher() {
        return new TriageTopicsPublisher(bootstrapServers(), serdeConfig());
    }

    public Path usersFile() {
        return workDir.resolve("users.properties");
    }

    private Path rolesFile() {
        return workDir.resolve("roles.properties");
    }

    @Override
    public void close() {
        metrics.stop(0);
        registry.close();
        broker.close();
        try (var files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; the OS removes it eventually
        }
    }
}
