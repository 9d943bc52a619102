package org.lesiontriage.triage.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TcpGate;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TriageStack;
import org.lesiontriage.triage.testing.TriageStackResource;

/**
 * Health tells the truth: the registry becomes unreachable from the service (a real network cut, the registry
 * itself keeps running), an event arrives whose schema the service has not seen, and its stream thread dies and is
 * replaced again and again. Input waits and nothing is committed: readiness goes DOWN, later liveness; the
 * network comes back, the event is answered once, and both go UP again.
 */
@Tag("integration")
@QuarkusTest
@QuarkusTestResource(value = TriageStackResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = TriageStackResource.REGISTRY_GATE, value = "true"))
class PipelineHealthTest {

    TriageStack stack;
    TcpGate registryGate;

    @Test
    void readinessAndLivenessFollowAStalledPipelineDownAndBackUp() throws Exception {
        assertThat(awaitCheck("/q/health/ready", "pipeline-progress", "UP", Duration.ofSeconds(60))).isTrue();
        registryGate.shut();
        LesionImageEvent event = LesionEvents.jpeg(7);
        try (ImageEventProducer clinic = new ImageEventProducer(stack.bootstrapServers(), stack.serdeConfig())) {
            clinic.send(event);
        }

        assertThat(awaitCheck("/q/health/ready", "pipeline-progress", "DOWN", Duration.ofSeconds(60)))
                .as("readiness DOWN while the event waits").isTrue();
        JsonPath ready = JsonPath.from(given().get("/q/health/ready").asString());
        assertThat(ready.getString("checks.find { it.name == 'pipeline-progress' }.data.problem"))
                .contains("nothing was committed");
        assertThat(ready.getLong("checks.find { it.name == 'pipeline-progress' }.data.lag")).isEqualTo(1);
        assertThat(awaitCheck("/q/health/live", "pipeline-recovers", "DOWN", Duration.ofSeconds(60)))
                .as("liveness DOWN once the stall outlasts its limit").isTrue();

        registryGate.reopen();

        List<GenericRecord> results = TopicReader.readGeneric(stack.bootstrapServers(), Topics.TRIAGE_RESULTS,
                stack.serdeConfig(), 1, Duration.ofSeconds(90), Duration.ofSeconds(2));
        assertThat(results).extracting(r -> r.get("event_id").toString()).containsExactly(event.getEventId().toString());
        assertThat(TopicReader.readGeneric(stack.bootstrapServers(), Topics.TRIAGE_FAILURES, stack.serdeConfig(), 0,
                Duration.ofSeconds(2), Duration.ZERO)).as("an unreachable registry is never the record's fault").isEmpty();
        assertThat(awaitCheck("/q/health/ready", "pipeline-progress", "UP", Duration.ofSeconds(60))).isTrue();
        assertThat(awaitCheck("/q/health/live", "pipeline-recovers", "UP", Duration.ofSeconds(60))).isTrue();
        // Read at scrape time from the monitor's last check and the threads' metrics: each may be a moment behind.
        Predicate<String> published = text -> text.contains("triage_input_lag 0.0")
                && text.contains("triage_kafka_rebalances_total") && text.contains("triage_kafka_records_lag_max")
                && metricValue(text, "triage_kafka_commits_total") > 0;
        String metrics = triageLines(given().get("/q/metrics").asString());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!published.test(metrics) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            metrics = triageLines(given().get("/q/metrics").asString());
        }
        assertThat(metrics).contains("triage_input_lag 0.0", "triage_kafka_rebalances_total",
                "triage_kafka_records_lag_max");
        assertThat(metricValue(metrics, "triage_kafka_commits_total")).as("commits counted").isPositive();
    }

    /** The service's own meters only, so that a failure shows them instead of the whole scrape. */
    private static String triageLines(String prometheusText) {
        return String.join("\n", prometheusText.lines().filter(line -> line.startsWith("triage_")).toList());
    }

    private static double metricValue(String prometheusText, String name) {
        return prometheusText.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static boolean awaitCheck(String path, String check, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Predicate<String> matches = body -> status.equals(
                JsonPath.from(body).getString("checks.find { it.name == '" + check + "' }.status"));
        while (System.nanoTime() < deadline) {
            if (matches.test(given().get(path).asString())) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }
}
