package org.lesiontriage.triage.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lesiontriage.triage.testing.TopologyHarness.deadLetters;
import static org.lesiontriage.triage.testing.TopologyHarness.images;
import static org.lesiontriage.triage.testing.TopologyHarness.results;
import static org.lesiontriage.triage.testing.TopologyHarness.serialize;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.failures.InMemoryAttemptLedger;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.lifecycle.ModelKey;
import org.lesiontriage.triage.lifecycle.RolloutHistory;
import org.lesiontriage.triage.lifecycle.RolloutMarker;
import org.lesiontriage.triage.lifecycle.ScoringModel;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.RecordedModels;
import org.lesiontriage.triage.testing.Rollouts;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.triage.testing.TopologyHarness;

/**
 * A model switch as the processor sees it: records before the marker are scored by the old version, in a batch the
 * marker sends out, records after it by the new one; a batch never mixes versions; a marker is no event (no result,
 * no dead letter) unless it names no known rollout, which makes it a dead letter and switches nothing.
 */
@Tag("unit")
class ModelSwitchTopologyTest {

    private static final Map<String, Object> SERDE = TopologyHarness.inMemoryRegistry(ModelSwitchTopologyTest.class);
    private static final ModelKey V2 = new ModelKey("triagenet", "2.0.0");
    private static final ModelKey INT8 = new ModelKey("triagenet", "2.0.0-int8");

    private static LesionClassifier int8;
    private RolloutHistory history;
    private TopologyTestDriver driver;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        synchronized (ModelSwitchTopologyTest.class) {
            if (int8 == null) {
                int8 = LesionClassifier.load(TestModel.projectRoot().resolve("models/triagenet/2.0.0-int8"),
                        InferenceOptions.cpu(1));
            }
        }
        history = new RolloutHistory(Topics.LESION_IMAGES, V2);
        ScoringModel v2 = TriageComponents.fixedModel(TestModel.classifier(), ImageLimits.defaults()).current();
        ScoringModel quantised = TriageComponents.fixedModel(int8, ImageLimits.defaults()).current();
        var pipeline = TopologyHarness.pipeline(SERDE, TopologyHarness.policy(8, 60_000), ImageLimits.defaults());
        var components = pipeline.components(new RecordedModels(history, Map.of(V2, v2, INT8, quantised)),
                meters, new InMemoryAttemptLedger());
        driver = TopologyHarness.driver(pipeline.topology(components));
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void pipe(LesionImageEvent event) {
        images(driver).pipeInput(event.getCaseRef().getBytes(StandardCharsets.UTF_8), serialize(event, SERDE));
    }

    private void pipeMarker(String rolloutId) {
        ProducerRecord<byte[], byte[]> marker = RolloutMarker.record(Topics.LESION_IMAGES, 0, rolloutId);
        images(driver).pipeInput(new TestRecord<>(marker.key(), marker.value(), marker.headers()));
    }

    @Test
    void recordsBeforeTheMarkerGetTheOldVersionAndAfterItTheNew() {
        for (int i = 0; i < 3; i++) {
            pipe(LesionEvents.jpeg(i)); // offsets 0-2
        }
        history.add(Rollouts.of("r1", Topics.LESION_IMAGES, INT8, Map.of(0, 4L))); // the marker is offset 3
        pipeMarker("r1");
        List<TriageResult> beforeSwitch = results(driver, SERDE).readValuesToList();
        assertThat(beforeSwitch).as("the marker sends out the batch of the old version at once").hasSize(3)
                .allSatisfy(result -> {
                    assertThat(result.getModel().getVersion()).isEqualTo("2.0.0");
                    assertThat(result.getBatchSize()).isEqualTo(3);
                });

        for (int i = 3; i < 6; i++) {
            pipe(LesionEvents.jpeg(i)); // offsets 4-6
        }
        driver.advanceWallClockTime(Duration.ofMinutes(2));

        List<TriageResult> afterSwitch = results(driver, SERDE).readValuesToList();
        assertThat(afterSwitch).hasSize(3).allSatisfy(result -> {
            assertThat(result.getModel().getVersion()).isEqualTo("2.0.0-int8");
            assertThat(result.getThreshold()).isEqualTo(int8.descriptor().threshold());
        });
        assertThat(deadLetters(driver, SERDE).isEmpty()).as("a marker is no event: no dead letter").isTrue();
    }

    @Test
    void aBatchNeverMixesVersionsEvenWithoutAMarkerBetween() {
        // A history read before the records arrived: offsets from 2 belong to the new version.
        history.add(Rollouts.of("r1", Topics.LESION_IMAGES, INT8, Map.of(0, 2L)));
        for (int i = 0; i < 4; i++) {
            pipe(LesionEvents.jpeg(10 + i));
        }
        driver.advanceWallClockTime(Duration.ofMinutes(2));

        assertThat(results(driver, SERDE).readValuesToList())
                .extracting(result -> result.getModel().getVersion() + " in a batch of " + result.getBatchSize())
                .containsExactly("2.0.0 in a batch of 2", "2.0.0 in a batch of 2",
                        "2.0.0-int8 in a batch of 2", "2.0.0-int8 in a batch of 2");
    }

    @Test
    void aMarkerNamingNoKnownRolloutIsADeadLetterAndSwitchesNothing() {
        pipeMarker("forged-rollout");
        pipe(LesionEvents.jpeg(20));
        driver.advanceWallClockTime(Duration.ofMinutes(2));

        DeadLetter letter = deadLetters(driver, SERDE).readValue();
        assertThat(letter.getReasonCode()).isEqualTo(ReasonCode.UNKNOWN_CONTROL_RECORD.name());
        assertThat(letter.getMessage()).contains("rollout forged-rollout");
        assertThat(letter.getSourceOffset()).isZero();
        assertThat(results(driver, SERDE).readValuesToList()).singleElement()
                .satisfies(result -> assertThat(result.getModel().getVersion()).isEqualTo("2.0.0"));
    }

    @Test
    void aShadowVersionScoresEveryLiveBatchOnTheShadowTopicOnlyAndIsSkippedBehindABacklog() {
        history.add(Rollouts.of("s1", Topics.LESION_IMAGES, INT8, Map.of(0, 0L), RolloutKind.SHADOW));
        for (int i = 0; i < 8; i++) {
            pipe(LesionEvents.jpeg(30 + i)); // a full batch: scored at once, nothing waited
        }
        // Produced an hour ago: the input is behind far more than triage.lifecycle.shadow-max-lag.
        var input = images(driver);
        long anHourAgo = System.currentTimeMillis() - 3_600_000;
        for (int i = 0; i < 3; i++) {
            LesionImageEvent event = LesionEvents.jpeg(40 + i);
            input.pipeInput(event.getCaseRef().getBytes(StandardCharsets.UTF_8), serialize(event, SERDE), anHourAgo);
        }
        driver.advanceWallClockTime(Duration.ofMinutes(30));

        List<TriageResult> live = results(driver, SERDE).readValuesToList();
        List<TriageResult> shadow = driver.createOutputTopic(Topics.SHADOW_RESULTS,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                TopologyHarness.deserializer(TriageResult.class, SERDE)).readValuesToList();
        assertThat(live).hasSize(11).allSatisfy(result -> assertThat(result.getModel().getVersion()).isEqualTo("2.0.0"));
        assertThat(shadow).as("the eight recent events, once each, by the shadow version")
                .extracting(result -> result.getEventId().toString())
                .containsExactlyElementsOf(live.subList(0, 8).stream().map(r -> r.getEventId().toString()).toList());
        assertThat(shadow).allSatisfy(result -> assertThat(result.getModel().getVersion()).isEqualTo("2.0.0-int8"));
        assertThat(meters.get("triage.shadow.skipped").tag("reason", "lag").counter().count()).isEqualTo(3);
        assertThat(meters.get("triage.shadow.results").tag("version", "2.0.0-int8").counter().count()).isEqualTo(8);
    }
}
