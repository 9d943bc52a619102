package org.lesiontriage.triage.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import org.apache.avro.generic.GenericRecord;
import java.util.List;
import java.util.Set;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.testfixtures.SyntheticLesions;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TriageStack;
import org.lesiontriage.triage.testing.TriageStackResource;
import org.lesiontriage.contracts.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The whole service, booted by Quarkus against a real in-process broker and a real schema registry. */
@Tag("integration")
@QuarkusTest
@QuarkusTestResource(value = TriageStackResource.class, restrictToAnnotatedClass = true)
class TriageServiceTest {

    TriageStack stack;

    @Test
    void triagesGoodImagesDeadLettersPoisonAndStaysUp() {
        Set<String> goodIds = new HashSet<>();
        try (ImageEventProducer clinic = new ImageEventProducer(stack.bootstrapServers(), stack.serdeConfig())) {
            for (int i = 0; i < 6; i++) {
                LesionImageEvent event = i % 2 == 0 ? LesionEvents.jpeg(i)
                        : LesionEvents.builder(SyntheticLesions.png(300, 200, i), "image/png").build();
                goodIds.add(event.getEventId().toString());
                clinic.send(event);
                if (i == 2) {
                    clinic.sendRaw("poison", "definitely not avro".getBytes(StandardCharsets.UTF_8));
                    clinic.send(LesionEvents.builder(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}, "image/jpeg").build());
                }
            }
        }
        List<GenericRecord> results = TopicReader.readGeneric(stack.bootstrapServers(), Topics.TRIAGE_RESULTS,
                stack.serdeConfig(), 6, Duration.ofSeconds(60), Duration.ofSeconds(1));
        List<GenericRecord> letters = TopicReader.readGeneric(stack.bootstrapServers(), Topics.TRIAGE_FAILURES,
                stack.serdeConfig(), 2, Duration.ofSeconds(30), Duration.ofSeconds(1));

        assertThat(results).extracting(r -> r.get("event_id").toString()).containsExactlyInAnyOrderElementsOf(goodIds);
        assertThat(letters).extracting(r -> r.get("reason_code").toString())
                .containsExactlyInAnyOrder("NOT_WIRE_FORMAT", "IMAGE_UNDECODABLE");
        assertThat(results).extracting(r -> ((GenericRecord) r.get("model")).get("version").toString())
                .as("every result names its model version").allSatisfy(version -> assertThat(version).isNotBlank());

        given().get("/q/health/ready").then().statusCode(200).body(containsString("\"model\""));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("triage_events_in_total 8.0"))
                .body(containsString("triage_dead_letters_total{reason=\"NOT_WIRE_FORMAT\"} 1.0"))
                .body(containsString("triage_model_info"));
    }

    @Test
    void withoutConfiguredUsersEveryMutatingCallIsRefused() {
        // No TRIAGE_USERS_FILE here: the service starts, and no credentials can start or cancel a job.
        String body = "{\"jobId\": \"no-users\", \"model\": \"proposed/1.0.0\"}";
        given().contentType("application/json").body(body).post("/rescore").then().statusCode(401);
        given().auth().preemptive().basic("operator", "battery-staple-42").contentType("application/json").body(body)
                .post("/rescore").then().statusCode(401);
        given().auth().preemptive().basic("operator", "battery-staple-42").delete("/rescore/no-users").then().statusCode(401);
        given().get("/rescore").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void describesTheLoadedModel() {
        given().get("/model").then().statusCode(200)
                .body("classLabels", hasSize(2))
                .body("classLabels[1]", equalTo("melanoma"))
                .body("inputSize[0]", equalTo(128))
                .body("sha256.length()", equalTo(64));
    }
}
