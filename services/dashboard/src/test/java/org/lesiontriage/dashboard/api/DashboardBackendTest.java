package org.lesiontriage.dashboard.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.CaseReview;
import org.lesiontriage.contracts.ReviewAction;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.dashboard.ingest.TopicsReader;
import org.lesiontriage.dashboard.operations.PipelineStats;
import org.lesiontriage.dashboard.queue.QueueFilter;
import org.lesiontriage.dashboard.queue.QueueView;
import org.lesiontriage.dashboard.queue.WorkingSet;
import org.lesiontriage.dashboard.rollout.RolloutWatch;
import org.lesiontriage.dashboard.testing.DashboardStack;
import org.lesiontriage.dashboard.testing.DashboardStackResource;
import org.lesiontriage.dashboard.testing.Eventually;
import org.lesiontriage.dashboard.testing.Rollouts;
import org.lesiontriage.dashboard.testing.TriageTopicsPublisher;
import org.lesiontriage.registry.SpecificAvroDeserializer;

/** The dashboard's backend, booted by Quarkus against a real broker and a real schema registry. */
@Tag("integration")
@QuarkusTest
@QuarkusTestResource(value = DashboardStackResource.class, restrictToAnnotatedClass = true)
class DashboardBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    DashboardStack stack;

    @Test
    void nothingButTheLoginPageAndHealthIsReadableWithoutLoggingIn() {
        for (String path : List.of("/", "/index.html", "/dashboard.js", "/api/queue", "/api/operations",
                "/api/session", "/api/results/" + UUID.randomUUID() + "/thumbnail")) {
            given().redirects().follow(false).get(path).then().statusCode(302)
                    .header("Location", containsString("/login.html"));
        }
        given().get("/login.html").then().statusCode(200).body(containsString("j_security_check"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefused() {
        given().redirects().follow(false).formParam("j_username", DashboardStack.CLINICIAN)
                .formParam("j_password", "not-the-password").post("/j_security_check")
                .then().statusCode(302).header("Location", containsString("login.html?error"));
        given().redirects().follow(false).formParam("j_username", "mallory").formParam("j_password", "x")
                .post("/j_security_check").then().statusCode(302).header("Location", containsString("error"));
    }

    @Test
    void eachRowNamesTheModelVersionThatScoredItAcrossASwitchAndARollback() {
        String clinic = "clinic-" + UUID.randomUUID();
        try (TriageTopicsPublisher publisher = stack.publisher()) {
            publisher.triaged("before-" + clinic, clinic, 0.9, "2.0.0");
            publisher.triaged("switched-" + clinic, clinic, 0.8, "2.0.0-int8");
            publisher.triaged("rolled-back-" + clinic, clinic, 0.7, "2.0.0");
        }
        String nurse = login(DashboardStack.CLINICIAN);
        JsonPath queue = Eventually.await(WAIT, () -> queue(nurse, clinic, "open"),
                view -> assertThat(view.getList("rows")).hasSize(3));

        assertThat(queue.getList("rows.model")).containsExactly("triagenet 2.0.0", "triagenet 2.0.0-int8",
                "triagenet 2.0.0");
    }

    @Test
    void aClinicianSeesTheQueueUrgentFirstWithThumbnailsAndAnOperatorDoesNot() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        String routine;
        String urgent;
        try (TriageTopicsPublisher publisher = stack.publisher()) {
            routine = publisher.triaged("routine-" + clinic, clinic, 0.1);
            urgent = publisher.triaged("urgent-" + clinic, clinic, 0.8);
        }
        String nurse = login(DashboardStack.CLINICIAN);
        JsonPath queue = Eventually.await(WAIT, () -> queue(nurse, clinic, "open"),
                view -> assertThat(view.getList("rows")).hasSize(2));

        assertThat(queue.getList("rows.eventId")).containsExactly(urgent, routine);
        assertThat(queue.getList("rows.priority")).containsExactly("URGENT", "ROUTINE");
        assertThat(queue.getString("rows[0].model")).isEqualTo("triagenet 2.0.0");
        assertThat(queue.getDouble("rows[0].threshold")).isEqualTo(0.3);

        var thumbnail = given().cookie("quarkus-credential", nurse).get("/api/results/" + urgent + "/thumbnail")
                .then().statusCode(200).header("Cache-Control", "no-store").contentType("image/jpeg")
                .extract().asByteArray();
        assertThat(ImageIO.read(new ByteArrayInputStream(thumbnail)).getWidth()).isEqualTo(160);
        given().cookie("quarkus-credential", nurse).get("/api/results/" + UUID.randomUUID() + "/thumbnail")
                .then().statusCode(404);

        String ops = login(DashboardStack.OPERATOR);
        given().cookie("quarkus-credential", ops).get("/api/queue").then().statusCode(403);
        given().cookie("quarkus-credential", ops).get("/api/results/" + urgent + "/thumbnail").then().statusCode(403);
        given().cookie("quarkus-credential", nurse).get("/api/operations").then().statusCode(403);
    }

    @Test
    void theOperatorSeesThePipelineFromTheTopicsAndTheServiceWithoutCaseReferences() {
        String caseRef = "case-" + UUID.randomUUID();
        try (TriageTopicsPublisher publisher = stack.publisher()) {
            publisher.triaged(caseRef, "clinic-ops", 0.5);
            publisher.deadLetter(caseRef, "IMAGE_UNDECODABLE", 17);
        }
        String ops = login(DashboardStack.OPERATOR);
        JsonPath view = Eventually.await(WAIT, () -> given().cookie("quarkus-credential", ops).get("/api/operations")
                .then().statusCode(200).extract().jsonPath(),
                v -> assertThat(v.getMap("topics.deadLettersByReason")).containsKey("IMAGE_UNDECODABLE"));

        assertThat(view.getString("topics.newestDeadLetters[0].sourceTopic")).isEqualTo(Topics.LESION_IMAGES);
        assertThat(view.getLong("topics.newestDeadLetters[0].sourceOffset")).isEqualTo(17);
        assertThat(view.getInt("topics.newestDeadLetters[0].keyBytes")).isEqualTo(caseRef.length());
        assertThat(view.getString("topics.newestModel")).isEqualTo("triagenet 2.0.0");
        assertThat(view.getString("service.model.name")).isEqualTo("triagenet");
        assertThat(view.getString("service.model.device")).isEqualTo("CPU");
        assertThat(view.getDouble("service.deadLettersByReason.IMAGE_UNDECODABLE")).isEqualTo(1.0);
        assertThat(view.getBoolean("instance.caughtUp")).isTrue();
        assertThat(view.prettify()).as("no case reference in the operator's view").doesNotContain(caseRef);
    }

    @Test
    void aReviewIsAnEventOnTriageReviewsThatASecondInstanceReadsAlike() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        String caseRef = "reviewed-" + clinic;
        String eventId;
        try (TriageTopicsPublisher publisher = stack.publisher()) {
            eventId = publisher.triaged(caseRef, clinic, 0.9);
        }
        String nurse = login(DashboardStack.CLINICIAN);
        Eventually.await(WAIT, () -> queue(nurse, clinic, "open"), v -> assertThat(v.getList("rows")).hasSize(1));

        given().cookie("quarkus-credential", nurse).contentType("application/json").body("{\"action\":\"REVIEWED\"}")
                .post("/api/results/" + eventId + "/review").then().statusCode(200);

        assertThat(queue(nurse, clinic, "open").getList("rows")).isEmpty();
        JsonPath reviewed = queue(nurse, clinic, "reviewed");
        assertThat(reviewed.getList("rows.eventId")).containsExactly(eventId);
        assertThat(reviewed.getString("rows[0].reviewer")).isEqualTo(DashboardStack.CLINICIAN);

        CaseReview review = readReview(caseRef);
        assertThat(review.getEventId().toString()).isEqualTo(eventId);
        assertThat(review.getAction()).isEqualTo(ReviewAction.REVIEWED);
        assertThat(review.getReviewer()).isEqualTo(DashboardStack.CLINICIAN);

        // Another instance (or this one after a restart) builds its queue from the topics alone.
        WorkingSet second = new WorkingSet(100, 100, 100, id -> { });
        RolloutWatch secondRollouts = new RolloutWatch(Topics.LESION_IMAGES, 100, Duration.ofDays(7));
        Map<String, Object> consumer = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "lesion-triage-dashboard-second",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (TopicsReader reader = new TopicsReader(consumer, stack.serdeConfig(), new TopicsReader.Names(
                Topics.TRIAGE_RESULTS, Topics.TRIAGE_FAILURES, Topics.REVIEWS, Topics.SHADOW_RESULTS, Topics.ROLLOUTS),
                Optional.empty(), second, new PipelineStats(10, 10), secondRollouts)) {
            Thread thread = new Thread(reader);
            thread.start();
            Eventually.await(WAIT, reader::caughtUp, caughtUp -> assertThat(caughtUp).isTrue());
            QueueView view = second.view(QueueFilter.parse(clinic, null, "all", 10), 0);
            assertThat(view.rows()).singleElement().satisfies(row -> {
                assertThat(row.eventId()).isEqualTo(eventId);
                assertThat(row.reviewed()).isTrue();
                assertThat(row.reviewer()).isEqualTo(DashboardStack.CLINICIAN);
            });
        }
    }

    @Test
    void theOperatorSeesTheRolloutAndTheShadowBesideTheLiveResultsOverTheWindowPicked() {
        String flipped = "clinic-" + UUID.randomUUID();
        String steady = "clinic-" + UUID.randomUUID();
        Instant now = Instant.now();
        try (TriageTopicsPublisher publisher = stack.publisher()) {
            publisher.rollout(Rollouts.gated("api-r1", "2.0.0", true, 0, now.minusSeconds(7200)));
            publisher.rollout(Rollouts.of("api-r2", RolloutKind.SHADOW, "3.0.0", now.minusSeconds(3600)));
            publisher.rollout(Rollouts.canary("api-r3", "2.1.0", List.of(steady), 0.0, now.minusSeconds(600)));
            publisher.triagedInShadow("a-" + flipped, flipped, now, 0.8, "2.0.0", 0.1, "3.0.0");
            publisher.triagedInShadow("b-" + flipped, flipped, now, 0.6, "2.0.0", 0.2, "3.0.0");
            publisher.triagedInShadow("c-" + flipped, flipped, now.minus(Duration.ofHours(3)), 0.6, "2.0.0", 0.2,
                    "3.0.0");
            publisher.triagedInShadow("a-" + steady, steady, now, 0.1, "2.1.0", 0.1, "3.0.0");
        }
        String ops = login(DashboardStack.OPERATOR);
        JsonPath day = Eventually.await(WAIT, () -> rollout(ops, "24h"),
                view -> assertThat(view.getInt("comparison.joined")).isEqualTo(4));

        assertThat(day.getString("live.version")).isEqualTo("2.0.0");
        assertThat(day.getString("shadow.rollout.version")).isEqualTo("3.0.0");
        assertThat(day.getBoolean("shadow.inEffect")).isTrue();
        assertThat(day.getString("canary.rollout.version")).isEqualTo("2.1.0");
        assertThat(day.getList("canary.clinicsSeen.findAll { it.onCanary }.clinicId")).containsExactly(steady);
        assertThat(day.getBoolean("gate.passed")).isTrue();
        assertThat(day.getString("comparison.byClinic[0].clinicId")).isEqualTo(flipped);
        assertThat(day.getInt("comparison.byClinic[0].urgentToRoutine")).isEqualTo(3);
        assertThat(day.getBoolean("comparison.byClinic[1].onCanary")).isTrue();
        assertThat(day.prettify()).as("no case reference in the operator's view").doesNotContain("a-" + flipped);

        JsonPath hour = rollout(ops, "1h");
        assertThat(hour.getInt("comparison.joined")).isEqualTo(3);
        assertThat(hour.getInt("comparison.urgentToRoutine")).isEqualTo(2);
        assertThat(hour.getString("window")).isEqualTo("1h");

        given().cookie("quarkus-credential", ops).queryParam("window", "2h").get("/api/operations/rollout")
                .then().statusCode(400);
        String nurse = login(DashboardStack.CLINICIAN);
        given().cookie("quarkus-credential", nurse).get("/api/operations/rollout").then().statusCode(403);
    }

    @Test
    void loggingOutEndsTheSession() {
        String nurse = login(DashboardStack.CLINICIAN);
        given().cookie("quarkus-credential", nurse).get("/api/session").then().statusCode(200)
                .body(containsString("clinician"));
        String cleared = given().redirects().follow(false).cookie("quarkus-credential", nurse).post("/api/logout")
                .then().statusCode(303).header("Location", containsString("/login.html"))
                .extract().cookie("quarkus-credential");
        assertThat(cleared).isNullOrEmpty();
    }

    private String login(String user) {
        return given().redirects().follow(false).formParam("j_username", user)
                .formParam("j_password", stack.password(user)).post("/j_security_check")
                .then().statusCode(302).extract().cookie("quarkus-credential");
    }

    private static JsonPath rollout(String cookie, String window) {
        return given().cookie("quarkus-credential", cookie).queryParam("window", window)
                .get("/api/operations/rollout").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath queue(String cookie, String clinic, String status) {
        return given().cookie("quarkus-credential", cookie).queryParam("clinic", clinic).queryParam("status", status)
                .get("/api/queue").then().statusCode(200).extract().jsonPath();
    }

    private CaseReview readReview(String caseRef) {
        SpecificAvroDeserializer<CaseReview> reviews = new SpecificAvroDeserializer<>(CaseReview.class);
        reviews.configure(stack.serdeConfig(), false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "review-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.REVIEWS));
            return Eventually.await(WAIT, () -> {
                CaseReview found = null;
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key().equals(caseRef)) {
                        found = reviews.deserialize(record.topic(), record.value());
                    }
                }
                return found;
            }, found -> assertThat(found).isNotNull());
        }
    }
}
