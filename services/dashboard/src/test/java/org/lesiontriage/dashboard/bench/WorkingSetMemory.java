package org.lesiontriage.dashboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lesiontriage.contracts.CaseReview;
import org.lesiontriage.contracts.ReviewAction;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.dashboard.testing.DashboardStack;
import org.lesiontriage.dashboard.testing.Results;
import org.lesiontriage.registry.SpecificAvroSerde;

/**
 * How much heap the packaged dashboard keeps once it has read a large results topic (bin/dashboard-memory): a real
 * broker and registry, N small results (and a review of every tenth case) written with the project's serde, then
 * the dashboard jar started on them with a fixed -Xmx. After it reports ready (caught up), a full GC is forced and
 * the used heap read with jcmd; the same for empty topics first, as the baseline.
 *
 * <p>Arguments: RESULTS (default 1000000), XMX (default 256m), the dashboard jar
 * (default services/dashboard/target/quarkus-app/quarkus-run.jar).
 */
public final class WorkingSetMemory {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final long READY_TIMEOUT_MS = 600_000;

    private WorkingSetMemory() {
    }

    public static void main(String[] args) throws Exception {
        int results = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String xmx = args.length > 1 ? args[1] : "256m";
        Path jar = Path.of(args.length > 2 ? args[2] : "services/dashboard/target/quarkus-app/quarkus-run.jar");
        try (DashboardStack stack = DashboardStack.start()) {
            Measurement empty = measure(stack, jar, xmx, 0);
            long fillStart = System.nanoTime();
            int reviews = fill(stack, results);
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            Measurement full = measure(stack, jar, xmx, reviews);
            System.out.printf("%nTopics: %,d results and %,d reviews written in %.1f s (real serde, real broker)%n",
                    results, reviews, fillSeconds);
            System.out.printf("Dashboard -Xmx%s, working set defaults (2,000 newest, 10,000 open, 100,000 reviews)%n", xmx);
            for (Measurement m : List.of(empty, full)) {
                System.out.printf("  read %,9d results, %,7d reviews: ready in %5.1f s; holds %,6d results, remembers %,7d"
                        + " reviews, %,d open dropped; heap after full GC %6.1f MiB, RSS %6.1f MiB%n",
                        m.held.path("topics").path("results").asLong(), m.reviewsRead, m.readySeconds,
                        m.held.path("instance").path("resultsHeld").asInt(),
                        m.held.path("instance").path("reviewsRemembered").asInt(),
                        m.held.path("instance").path("openDropped").asLong(), m.heapMiB, m.rssMiB);
            }
        }
        System.exit(0);
    }

    /** @param held what the dashboard's operator view says it read and holds */
    private record Measurement(double readySeconds, double heapMiB, double rssMiB, JsonNode held, int reviewsRead) {
    }

    /** Writes the results and a review of every tenth case; returns the number of reviews. */
    private static int fill(DashboardStack stack, int count) {
        Map<String, Object> serde = stack.serdeConfig();
        Serializer<TriageResult> results = SpecificAvroSerde.configured(TriageResult.class, serde, false).serializer();
        Serializer<CaseReview> reviews = SpecificAvroSerde.configured(CaseReview.class, serde, false).serializer();
        long start = System.currentTimeMillis() - 7L * 24 * 3600 * 1000; // a week of results
        long step = Math.max(1, 7L * 24 * 3600 * 1000 / count);
        int reviewed = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String caseRef = String.format("case-%07d", i);
                long at = start + i * step;
                TriageResult result = Results.result(UUID.randomUUID(), caseRef, "clinic-" + (i % 10),
                        (i * 7919 % 1000) / 1000.0, Instant.ofEpochMilli(at));
                producer.send(new ProducerRecord<>(Topics.TRIAGE_RESULTS, null, at, caseRef,
                        results.serialize(Topics.TRIAGE_RESULTS, result)));
                if (i % 10 == 0) {
                    CaseReview review = CaseReview.newBuilder().setCaseRef(caseRef).setClinicId(result.getClinicId())
                            .setEventId(result.getEventId()).setAction(ReviewAction.REVIEWED)
                            .setReviewedThrough(Instant.ofEpochMilli(at)).setReviewer("nurse")
                            .setReviewedAt(Instant.ofEpochMilli(at + 60_000)).setSchemaVersion(1).build();
                    producer.send(new ProducerRecord<>(Topics.REVIEWS, null, at, caseRef,
                            reviews.serialize(Topics.REVIEWS, review)));
                    reviewed++;
                }
            }
            producer.flush();
        }
        return reviewed;
    }

    private static Measurement measure(DashboardStack stack, Path jar, String xmx, int reviews) throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + xmx, "-XX:+UseG1GC", "-jar",
                jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("dashboard-memory", ".log").toFile());
        Map<String, String> env = builder.environment();
        // The dashboard's settings as the variables a deployment sets (kafka.bootstrap.servers: KAFKA_BOOTSTRAP_SERVERS).
        stack.dashboardConfig().forEach((key, value) -> env.put(key.toUpperCase().replace('.', '_').replace('-', '_'), value));
        env.put("DASHBOARD_HTTP_PORT", String.valueOf(port));
        env.put("DASHBOARD_INSTANCE", "memory-" + UUID.randomUUID());
        long started = System.nanoTime();
        Process dashboard = builder.start();
        try {
            awaitReady(port, dashboard);
            double readySeconds = (System.nanoTime() - started) / 1e9;
            JsonNode held = operationsView(stack, port);
            String pid = String.valueOf(dashboard.pid());
            jcmd(pid, "GC.run");
            Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
            double heapMiB = used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
            return new Measurement(readySeconds, heapMiB, rssMiB(dashboard.pid()), held, reviews);
        } finally {
            dashboard.destroy();
            dashboard.waitFor();
        }
    }

    /** Logs in as the operator and reads the operations view: how much was read and is held. */
    private static JsonNode operationsView(DashboardStack stack, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String base = "http://127.0.0.1:" + port;
        String form = "j_username=" + DashboardStack.OPERATOR + "&j_password="
                + URLEncoder.encode(stack.password(DashboardStack.OPERATOR), StandardCharsets.UTF_8);
        http.send(HttpRequest.newBuilder(URI.create(base + "/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> view = http.send(HttpRequest.newBuilder(URI.create(base + "/api/operations")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(view.body());
    }

    private static void awaitReady(int port, Process dashboard) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!dashboard.isAlive()) {
                throw new IllegalStateException("the dashboard exited with " + dashboard.exitValue());
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the dashboard was not ready within " + READY_TIMEOUT_MS / 1000 + " s");
    }

    private static String jcmd(String pid, String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), pid,
                command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        return out;
    }

    private static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
