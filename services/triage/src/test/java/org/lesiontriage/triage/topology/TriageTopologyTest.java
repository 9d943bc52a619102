package org.lesiontriage.triage.topology;

import org.lesiontriage.contracts.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lesiontriage.triage.testing.TopologyHarness.deadLetters;
import static org.lesiontriage.triage.testing.TopologyHarness.images;
import static org.lesiontriage.triage.testing.TopologyHarness.results;
import static org.lesiontriage.triage.testing.TopologyHarness.serialize;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Modality;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.testfixtures.SyntheticLesions;
import org.lesiontriage.triage.testing.TopologyHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The topology under Kafka Streams' test driver, with the in-memory registry: no broker, no registry process.
 * Batching by size and by time, dead letters, counting.
 */
@Tag("topology")
class TriageTopologyTest {

    private static final Map<String, Object> serdeConfig = TopologyHarness.inMemoryRegistry(TriageTopologyTest.class);

    private TopologyTestDriver driver;
    private SimpleMeterRegistry meters;

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(BatchPolicy policy, ImageLimits limits) {
        meters = new SimpleMeterRegistry();
        var components = TopologyHarness.components(serdeConfig, policy, limits, meters);
        driver = TopologyHarness.driver(TopologyHarness.topology(components, serdeConfig));
    }

    private void pipe(LesionImageEvent event) {
        images(driver).pipeInput(event.getCaseRef().getBytes(StandardCharsets.UTF_8), serialize(event, serdeConfig));
    }

    @Test
    void flushesABatchAsSoonAsItIsFull() {
        start(TopologyHarness.policy(4, 60_000), ImageLimits.defaults());
        for (int i = 0; i < 3; i++) {
            pipe(LesionEvents.jpeg(i));
        }
        assertThat(results(driver, serdeConfig).isEmpty()).as("3 of 4 wait for their batch").isTrue();
        assertThat(pendingStore().approximateNumEntries()).isEqualTo(3);

        pipe(LesionEvents.jpeg(3));

        List<TriageResult> scored = results(driver, serdeConfig).readValuesToList();
        assertThat(scored).hasSize(4).allSatisfy(result -> assertThat(result.getBatchSize()).isEqualTo(4));
        assertThat(pendingStore().approximateNumEntries()).as("answered images leave the store").isZero();
    }

    @Test
    void flushesAPartialBatchWhenItsOldestImageReachesMaxDelay() {
        start(TopologyHarness.policy(32, 50), ImageLimits.defaults());
        pipe(LesionEvents.jpeg(7));
        driver.advanceWallClockTime(Duration.ofMillis(20));
        assertThat(results(driver, serdeConfig).isEmpty()).as("younger than max delay").isTrue();

        driver.advanceWallClockTime(Duration.ofMillis(40));

        List<TriageResult> scored = results(driver, serdeConfig).readValuesToList();
        assertThat(scored).hasSize(1);
        assertThat(scored.get(0).getBatchSize()).isEqualTo(1);
        assertThat(scored.get(0).getQueueTimeMs()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void aBacklogFillsWholeBatchesEvenWhenPreprocessingIsSlowerThanMaxDelay() {
        start(TopologyHarness.policy(8, 10), ImageLimits.defaults());
        var input = images(driver);
        long producedLongAgo = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 12; i++) {
            LesionImageEvent event = LesionEvents.jpeg(200 + i);
            input.pipeInput(event.getCaseRef().getBytes(StandardCharsets.UTF_8), serialize(event, serdeConfig),
                    producedLongAgo + i);
            driver.advanceWallClockTime(Duration.ofMillis(15));
        }
        driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(results(driver, serdeConfig).readValuesToList()).extracting(TriageResult::getBatchSize)
                .as("a full batch of 8, then the 4 left when the backlog ended")
                .containsExactly(8, 8, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4);
    }

    @Test
    void inABacklogAFullBatchRunsOnceTheNextOneIsBeingDecoded() {
        start(TopologyHarness.policy(4, 60_000), ImageLimits.defaults());
        var input = images(driver);
        long producedLongAgo = System.currentTimeMillis() - 600_000; // older than max delay: a backlog
        for (int i = 0; i < 8; i++) {
            LesionImageEvent event = LesionEvents.jpeg(300 + i);
            input.pipeInput(event.getCaseRef().getBytes(StandardCharsets.UTF_8), serialize(event, serdeConfig),
                    producedLongAgo + i);
            if (i == 6) {
                assertThat(results(driver, serdeConfig).readValuesToList()).extracting(TriageResult::getBatchSize)
                        .as("7 behind: the full batch waits for the next").isEmpty();
            }
        }
        assertThat(results(driver, serdeConfig).readValuesToList()).extracting(TriageResult::getBatchSize)
                .as("the 8th hands the next batch to the pool, the first runs").containsExactly(4, 4, 4, 4);

        driver.advanceWallClockTime(Duration.ofMillis(60)); // past one punctuation interval

        assertThat(results(driver, serdeConfig).readValuesToList()).extracting(TriageResult::getBatchSize)
                .as("a full batch runs at the next tick whatever follows").containsExactly(4, 4, 4, 4);
        assertThat(pendingStore().approximateNumEntries()).isZero();
    }

    @Test
    void resultCarriesProbabilitiesModelThresholdAndTheInputsIdentity() {
        start(TopologyHarness.policy(1, 0), ImageLimits.defaults());
        LesionImageEvent event = LesionEvents.jpeg(11);
        pipe(event);

        TestRecord<byte[], TriageResult> record = results(driver, serdeConfig).readRecord();
        TriageResult result = record.value();
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).as("keyed like the input").isEqualTo(event.getCaseRef());
        assertThat(result.getEventId()).isEqualTo(event.getEventId());
        assertThat(result.getClinicId()).isEqualTo(event.getClinicId());
        assertThat(result.getProbabilities()).extracting(p -> p.getLabel()).containsExactly("non_melanoma", "melanoma");
        assertThat(result.getProbabilities().stream().mapToDouble(p -> p.getProbability()).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-5));
        assertThat(result.getModel().getName()).isNotBlank();
        assertThat(result.getModel().getSha256()).hasSize(64);
        assertThat(result.getThreshold()).isBetween(0.0, 1.0);
        TriagePriority expected = result.getMelanomaProbability() >= result.getThreshold()
                ? TriagePriority.URGENT : TriagePriority.ROUTINE;
        assertThat(result.getPriority()).isEqualTo(expected);
        assertThat(result.getPredictedClass()).isEqualTo(result.getMelanomaProbability() > 0.5 ? "melanoma" : "non_melanoma");
    }

    @Test
    void deadLettersEachKindOfBadInputWithItsReasonAndOriginalBytes() {
        start(TopologyHarness.policy(1, 0), new ImageLimits(200_000, 40_000_000, 16));
        byte[] garbage = "not an avro record".getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchemaId = {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6};
        Map<String, byte[]> badValues = new java.util.LinkedHashMap<>();
        badValues.put("NOT_WIRE_FORMAT", garbage);
        badValues.put("UNKNOWN_SCHEMA_ID", unknownSchemaId);
        badValues.put("UNSUPPORTED_MEDIA_TYPE", serialize(LesionEvents.builder(SyntheticLesions.png(64, 64, 1), "image/gif").build(), serdeConfig));
        badValues.put("MEDIA_TYPE_MISMATCH", serialize(LesionEvents.builder(SyntheticLesions.png(64, 64, 1), "image/jpeg").build(), serdeConfig));
        badValues.put("IMAGE_UNDECODABLE", serialize(LesionEvents.builder(truncated(SyntheticLesions.png(128, 128, 2)), "image/png").build(), serdeConfig));
        badValues.put("IMAGE_TOO_SMALL", serialize(LesionEvents.builder(SyntheticLesions.png(8, 8, 3), "image/png").build(), serdeConfig));
        badValues.put("IMAGE_TOO_LARGE", serialize(LesionEvents.builder(new byte[250_000], "image/png").build(), serdeConfig));
        badValues.put("IMAGE_EMPTY", serialize(LesionEvents.builder(new byte[0], "image/png").build(), serdeConfig));
        badValues.put("MISSING_FIELD", serialize(LesionEvents.builder(SyntheticLesions.png(64, 64, 4), "image/png").setClinicId(" ").build(), serdeConfig));

        var input = images(driver);
        badValues.values().forEach(value -> input.pipeInput("case-x".getBytes(StandardCharsets.UTF_8), value));
        input.pipeInput("case-x".getBytes(StandardCharsets.UTF_8), (byte[]) null);

        List<DeadLetter> letters = deadLetters(driver, serdeConfig).readValuesToList();
        assertThat(letters).extracting(DeadLetter::getReasonCode)
                .containsExactlyElementsOf(concat(badValues.keySet(), ReasonCode.MISSING_VALUE.name()));
        List<byte[]> originals = List.copyOf(badValues.values());
        for (int i = 0; i < originals.size(); i++) {
            DeadLetter letter = letters.get(i);
            assertThat(bytes(letter.getOriginalValue())).as("original bytes of " + letter.getReasonCode()).isEqualTo(originals.get(i));
            assertThat(letter.getSourceTopic()).isEqualTo(Topics.LESION_IMAGES);
            assertThat(letter.getSourceOffset()).isEqualTo(i);
            assertThat(letter.getMessage()).isNotBlank();
        }
        assertThat(letters.get(2).getEventId()).as("event id once the record could be read").isNotNull();
        assertThat(results(driver, serdeConfig).isEmpty()).isTrue();
        assertThat(meters.get("triage.dead.letters").tag("reason", "IMAGE_TOO_SMALL").counter().count()).isEqualTo(1);
    }

    @Test
    void imagesOutsideTheModelsValidatedModalityAreDeadLetteredNotScored() {
        start(TopologyHarness.policy(1, 0), ImageLimits.defaults());
        LesionImageEvent clinical = LesionEvents.builder(SyntheticLesions.jpeg(256, 256, 7), "image/jpeg")
                .setModality(Modality.CLINICAL).build();
        LesionImageEvent unknown = LesionEvents.builder(SyntheticLesions.jpeg(256, 256, 8), "image/jpeg")
                .setModality(Modality.UNKNOWN).build();
        LesionImageEvent dermoscopic = LesionEvents.jpeg(9);
        List.of(clinical, unknown, dermoscopic).forEach(this::pipe);

        List<DeadLetter> letters = deadLetters(driver, serdeConfig).readValuesToList();
        assertThat(letters).extracting(DeadLetter::getReasonCode)
                .containsExactly(ReasonCode.MODALITY_NOT_VALIDATED.name(), ReasonCode.MODALITY_NOT_VALIDATED.name());
        assertThat(letters).extracting(DeadLetter::getEventId)
                .containsExactly(clinical.getEventId().toString(), unknown.getEventId().toString());
        assertThat(letters.get(0).getMessage()).contains("CLINICAL", "dermoscopic");
        assertThat(results(driver, serdeConfig).readValuesToList()).extracting(r -> r.getEventId().toString())
                .containsExactly(dermoscopic.getEventId().toString());
    }

    @Test
    void everyInputYieldsExactlyOneResultOrOneDeadLetter() {
        start(TopologyHarness.policy(5, 30), ImageLimits.defaults());
        Set<String> sentIds = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            LesionImageEvent event = i % 4 == 3
                    ? LesionEvents.builder(new byte[] {1, 2, 3}, "image/jpeg").build()
                    : LesionEvents.jpeg(100 + i);
            sentIds.add(event.getEventId().toString());
            pipe(event);
        }
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<String> answered = new java.util.ArrayList<>();
        results(driver, serdeConfig).readValuesToList().forEach(r -> answered.add(r.getEventId().toString()));
        deadLetters(driver, serdeConfig).readValuesToList().forEach(d -> answered.add(d.getEventId()));

        assertThat(answered).hasSize(23).doesNotHaveDuplicates();
        assertThat(new HashSet<>(answered)).isEqualTo(sentIds);
        assertThat(meters.get("triage.events.in").counter().count()).isEqualTo(23);
    }

    private KeyValueStore<Long, SourceRecord> pendingStore() {
        return driver.getKeyValueStore(TriageTopologyFactory.PENDING_STORE);
    }

    private static byte[] truncated(byte[] image) {
        return java.util.Arrays.copyOf(image, image.length / 2);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static List<String> concat(Set<String> first, String last) {
        List<String> all = new java.util.ArrayList<>(first);
        all.add(last);
        return all;
    }
}
