package org.lesiontriage.triage.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.triage.lifecycle.ReleaseBundle;
import org.lesiontriage.triage.lifecycle.ReleasePublisher;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TriageStack;
import org.lesiontriage.triage.testing.TriageStackResource;

/**
 * The series that k8s/monitoring's alert rules and Grafana dashboard may use (k8s/monitoring/metric-names.txt) are
 * exactly the service's own series in a real scrape of /q/metrics, taken after the service has triaged images,
 * dead-lettered a record and run a shadow version that scored some images and skipped others behind its lag bound.
 * A meter renamed, removed, relabelled or added without the list fails here; deploy's MonitoringTest checks the
 * rules and the dashboard against the same list, so they cannot name a series the service does not have.
 */
@Tag("integration")
@QuarkusTest
@QuarkusTestResource(value = TriageStackResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ApiUsersResource.class, restrictToAnnotatedClass = true)
class MonitoredMetricsTest {

    static final Path LISTED = TestModel.projectRoot().resolve("k8s/monitoring/metric-names.txt");
    private static final Path INT8 = TestModel.projectRoot().resolve("models/triagenet/2.0.0-int8");
    private static final Duration WAIT = Duration.ofSeconds(90);

    TriageStack stack;

    @Test
    void theServicesOwnSeriesAreExactlyTheListedOnes() throws Exception {
        try (ImageEventProducer clinic = new ImageEventProducer(stack.bootstrapServers(), stack.serdeConfig())) {
            clinic.send(LesionEvents.jpeg(1)).get();
            clinic.send(LesionEvents.jpeg(2)).get();
            clinic.sendRaw("poison", "definitely not avro".getBytes(StandardCharsets.UTF_8)).get();
        }
        awaitResults(2);
        assertThat(TopicReader.readGeneric(stack.bootstrapServers(), Topics.TRIAGE_FAILURES, stack.serdeConfig(), 1,
                WAIT, Duration.ZERO)).hasSize(1);

        // A shadow version: published, prepared by this instance, then switched on at markers in the input.
        new ReleasePublisher(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                stack.serdeConfig()).publish(ReleaseBundle.fromFolder(INT8, "test", null));
        given().auth().preemptive().basic(ApiUsersResource.OPERATOR, ApiUsersResource.OPERATOR_PASSWORD)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "triagenet", "version", "2.0.0-int8", "reason", "monitored metrics"))
                .post("/models/shadow").then().statusCode(200);
        try (ImageEventProducer clinic = new ImageEventProducer(stack.bootstrapServers(), stack.serdeConfig())) {
            // An hour old: behind triage.lifecycle.shadow-max-lag, so the shadow skips them (reason lag).
            long anHourAgo = System.currentTimeMillis() - 3_600_000;
            clinic.send(LesionEvents.jpeg(3), anHourAgo).get();
            clinic.send(LesionEvents.jpeg(4), anHourAgo).get();
        }
        awaitResults(4); // scored alone, so the recent ones below make batches of their own
        try (ImageEventProducer clinic = new ImageEventProducer(stack.bootstrapServers(), stack.serdeConfig())) {
            clinic.send(LesionEvents.jpeg(5)).get();
            clinic.send(LesionEvents.jpeg(6)).get();
        }
        assertThat(TopicReader.readGeneric(stack.bootstrapServers(), Topics.SHADOW_RESULTS, stack.serdeConfig(), 2,
                WAIT, Duration.ZERO)).hasSize(2);

        Map<String, Set<String>> scraped = ownSeries(given().get("/q/metrics").then().statusCode(200).extract().asString());

        assertThat(scraped).as("the triage_* series of /q/metrics, against " + LISTED).isEqualTo(listed(LISTED));
    }

    private void awaitResults(int count) {
        assertThat(TopicReader.readGeneric(stack.bootstrapServers(), Topics.TRIAGE_RESULTS, stack.serdeConfig(), count,
                WAIT, Duration.ZERO)).hasSize(count);
    }

    /** The series named triage_* of a Prometheus text exposition, each with the names of its labels. */
    static Map<String, Set<String>> ownSeries(String exposition) {
        Map<String, Set<String>> series = new TreeMap<>();
        for (String line : exposition.lines().toList()) {
            if (!line.startsWith("triage_")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            Set<String> labels = series.computeIfAbsent(name, n -> new TreeSet<>());
            if (brace >= 0 && brace < space) {
                labels.addAll(labelNames(line, brace + 1));
            }
        }
        return series;
    }

    /** The label names of {@code name{a="x",b="y\"z"} value}, read from just after the brace. */
    private static Set<String> labelNames(String line, int from) {
        Set<String> names = new TreeSet<>();
        int at = from;
        while (at < line.length() && line.charAt(at) != '}') {
            int equals = line.indexOf('=', at);
            names.add(line.substring(at, equals).strip());
            at = equals + 2; // past ="
            while (line.charAt(at) != '"') {
                at += line.charAt(at) == '\\' ? 2 : 1;
            }
            at++;
            if (line.charAt(at) == ',') {
                at++;
            }
        }
        return names;
    }

    /** The list's entries: {@code name} or {@code name{label,...}}; '#' starts a comment. */
    static Map<String, Set<String>> listed(Path file) throws IOException {
        Map<String, Set<String>> series = new TreeMap<>();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            int brace = line.indexOf('{');
            String name = brace < 0 ? line : line.substring(0, brace);
            Set<String> labels = new TreeSet<>();
            if (brace >= 0) {
                for (String label : line.substring(brace + 1, line.length() - 1).split(",")) {
                    labels.add(label.strip());
                }
            }
            assertThat(series.put(name, labels)).as(name + " listed twice in " + file).isNull();
        }
        return series;
    }
}
