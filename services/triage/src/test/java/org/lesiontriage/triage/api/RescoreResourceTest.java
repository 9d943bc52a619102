package org.lesiontriage.triage.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TriageStack;
import org.lesiontriage.triage.testing.TriageStackResource;

/**
 * Re-score jobs through the running service's REST API: start, follow, cancel, resume; who may do which (basic
 * authentication with role rescore for POST and DELETE, users and roles from files outside the jar).
 */
@Tag("integration")
@QuarkusTest
@QuarkusTestResource(value = TriageStackResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ApiUsersResource.class, restrictToAnnotatedClass = true)
class RescoreResourceTest {

    private static final String SOURCE = "rest-replay-images";
    private static final int EVENTS = 5;

    TriageStack stack;
    /** The history every test replays, published once (test instances come and go, the stack stays). */
    private static final Set<String> sent = new HashSet<>();

    @BeforeEach
    void publishHistory() {
        if (sent.isEmpty()) {
            stack.broker().createTopics(Map.of(SOURCE, 1));
            try (ImageEventProducer clinic = new ImageEventProducer(stack.bootstrapServers(), stack.serdeConfig(), SOURCE)) {
                for (int i = 0; i < EVENTS; i++) {
                    LesionImageEvent event = LesionEvents.jpeg(200 + i);
                    sent.add(event.getEventId().toString());
                    clinic.send(event);
                }
            }
        }
    }

    @Test
    void startsAJobThatReportsProgressAndCompletesWithEveryEventOnce() {
        operator().contentType(ContentType.JSON)
                .body(Map.of("jobId", "rest-1", "model", "proposed/1.0.0", "sourceTopic", SOURCE))
                .post("/rescore")
                .then().statusCode(202)
                .header("Location", containsString("/rescore/rest-1"))
                .body("jobId", equalTo("rest-1"));

        JsonPath done = awaitFinished("rest-1");
        assertThat(done.getString("state")).isEqualTo("COMPLETED");
        assertThat(done.getLong("report.eventsInRange")).isEqualTo(EVENTS);
        assertThat(done.getLong("report.resultsThisRun")).isEqualTo(EVENTS);
        assertThat(done.getString("report.modelVersion")).isEqualTo("1.0.0");
        assertThat(done.getDouble("report.eventsPerSecond")).isPositive();
        given().get("/rescore").then().statusCode(200).body("jobId", hasItem("rest-1"));
        List<GenericRecord> results = TopicReader.readGeneric(stack.bootstrapServers(), "triage-rescore-rest-1",
                stack.serdeConfig(), EVENTS, Duration.ofSeconds(30), Duration.ofMillis(500));
        assertThat(results).extracting(r -> r.get("event_id").toString()).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void aCancelledJobStopsAndResumesWhenStartedAgain() {
        Map<String, String> body = Map.of("jobId", "rest-2", "model", "proposed/1.0.0", "sourceTopic", SOURCE);
        operator().contentType(ContentType.JSON).body(body).post("/rescore").then().statusCode(202);
        operator().delete("/rescore/rest-2").then().statusCode(202);
        JsonPath cancelled = awaitFinished("rest-2");
        assertThat(cancelled.getString("state")).isEqualTo("CANCELLED");
        assertThat(cancelled.getString("message")).contains("start the same job again");

        operator().contentType(ContentType.JSON).body(body).post("/rescore").then().statusCode(202);
        JsonPath resumed = awaitFinished("rest-2");
        assertThat(resumed.getString("state")).isEqualTo("COMPLETED");
        assertThat(TopicReader.readGeneric(stack.bootstrapServers(), "triage-rescore-rest-2", stack.serdeConfig(),
                EVENTS, Duration.ofSeconds(30), Duration.ofMillis(500)))
                .extracting(r -> r.get("event_id").toString()).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void refusesModelsOutsideTheModelRootAndAnswers404ForUnknownJobs() {
        operator().contentType(ContentType.JSON).body(Map.of("jobId", "escape", "model", "../../etc"))
                .post("/rescore").then().statusCode(400).body("error", containsString("is not a folder under"));
        operator().contentType(ContentType.JSON).body(Map.of("jobId", "bad-range", "model", "proposed/1.0.0", "from", "soon"))
                .post("/rescore").then().statusCode(400).body("error", containsString("ISO-8601"));
        operator().contentType(ContentType.JSON).body(Map.of("jobId", "into-live", "model", "proposed/1.0.0",
                        "sourceTopic", SOURCE, "resultsTopic", "triage-results"))
                .post("/rescore").then().statusCode(400).body("error", containsString("live topic triage-results"));
        given().get("/rescore/no-such-job").then().statusCode(404);
        operator().delete("/rescore/no-such-job").then().statusCode(404);
    }

    @Test
    void startingAndCancellingNeedRoleRescoreWhileHealthMetricsAndStateStayOpen() {
        Map<String, String> body = Map.of("jobId", "rest-auth", "model", "proposed/1.0.0", "sourceTopic", SOURCE);
        // No credentials: 401 with a basic challenge; wrong password, unknown user: 401; a user without the role: 403.
        given().contentType(ContentType.JSON).body(body).post("/rescore").then().statusCode(401)
                .header("WWW-Authenticate", containsStringIgnoringCase("basic"));
        as(ApiUsersResource.OPERATOR, "wrong").contentType(ContentType.JSON).body(body).post("/rescore").then().statusCode(401);
        as("nobody", ApiUsersResource.OPERATOR_PASSWORD).contentType(ContentType.JSON).body(body).post("/rescore").then().statusCode(401);
        as(ApiUsersResource.VIEWER, ApiUsersResource.VIEWER_PASSWORD).contentType(ContentType.JSON).body(body)
                .post("/rescore").then().statusCode(403);
        given().get("/rescore/rest-auth").then().statusCode(404); // none of those started a job

        operator().contentType(ContentType.JSON).body(body).post("/rescore").then().statusCode(202);
        given().delete("/rescore/rest-auth").then().statusCode(401);
        as(ApiUsersResource.VIEWER, ApiUsersResource.VIEWER_PASSWORD).delete("/rescore/rest-auth").then().statusCode(403);
        given().get("/rescore/rest-auth").then().statusCode(200).body("jobId", equalTo("rest-auth"));
        given().get("/rescore").then().statusCode(200).body("jobId", hasItem("rest-auth"));
        awaitFinished("rest-auth");

        // What the cluster reads needs no credentials, and a stray header does not break it.
        for (String path : List.of("/q/health/live", "/q/health/ready", "/q/metrics", "/model")) {
            given().get(path).then().statusCode(200);
            as(ApiUsersResource.OPERATOR, "wrong").get(path).then().statusCode(200);
        }
    }

    private static RequestSpecification operator() {
        return as(ApiUsersResource.OPERATOR, ApiUsersResource.OPERATOR_PASSWORD);
    }

    private static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password);
    }

    private static JsonPath awaitFinished(String jobId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath status = given().get("/rescore/" + jobId).then().statusCode(200).extract().jsonPath();
            if (List.of("COMPLETED", "CANCELLED", "FAILED").contains(status.getString("state"))) {
                return status;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + jobId + " did not finish in 90 s");
    }
}
