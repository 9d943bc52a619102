package org.lesiontriage.triage.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.testfixtures.SyntheticLesions;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TriageStack;
import org.lesiontriage.triage.testing.TriageStackResource;
import org.lesiontriage.triage.testing.VerboseFileLog;
import org.lesiontriage.contracts.Topics;

/**
 * The whole service with every log line written to a file (DEBUG for the service, INFO for Kafka), fed good
 * events and poison whose case references and image bytes are distinctive; no case reference and no image byte
 * sequence may appear in the log, while the dead letters keep the original bytes.
 */
@Tag("integration")
@QuarkusTest
@QuarkusTestResource(value = TriageStackResource.class, restrictToAnnotatedClass = true)
@TestProfile(LogPrivacyTest.ServiceLog.class)
class LogPrivacyTest {

    static final Path LOG = VerboseFileLog.of(LogPrivacyTest.class);

    /** The service's log, verbose, in target/CLASS/service.log, which the test searches. */
    public static class ServiceLog extends VerboseFileLog {
    }

    TriageStack stack;

    @Test
    void logsCarryNeitherCaseReferencesNorImageBytes() throws IOException {
        String marker = "PRIVATE-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] secretBytes = (marker + "-pixels-").repeat(40).getBytes(StandardCharsets.US_ASCII);
        List<String> caseRefs = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        List<LesionImageEvent> events = new ArrayList<>();
        int raw = 0;

        // Good images, and poison that reaches each stage (serde, field checks, media type, header, decoder).
        for (int i = 0; i < 4; i++) {
            events.add(LesionEvents.jpeg(300 + i));
        }
        byte[] jpeg = SyntheticLesions.jpeg(64, 64, 1);
        events.add(LesionEvents.builder(HostileImages.concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, secretBytes), "image/jpeg").build());
        events.add(LesionEvents.builder(secretBytes, "image/png").build());
        events.add(LesionEvents.builder(secretBytes, "text/plain").build());
        events.add(LesionEvents.builder(HostileImages.pngBomb(100_000, 100_000), "image/png").build());
        events.add(LesionEvents.builder(HostileImages.truncated(jpeg, 0.4), "image/jpeg").build());
        events.add(LesionEvents.builder(jpeg, "image/jpeg").setClinicId(" ").build());
        events.add(LesionEvents.builder(HostileImages.cmykJpeg(32, 2), "image/jpeg").build());
        for (int i = 0; i < events.size(); i++) {
            LesionImageEvent event = events.get(i);
            event.setCaseRef("case-" + marker + "-" + i);
            caseRefs.add(event.getCaseRef());
            images.add(HostileInputCorpusTest.bytes(event.getImage()));
        }
        byte[] garbage = ("{\"case_ref\":\"case-" + marker + "-raw\"}").getBytes(StandardCharsets.UTF_8);
        caseRefs.add("case-" + marker + "-raw");
        try (ImageEventProducer clinic = new ImageEventProducer(stack.bootstrapServers(), stack.serdeConfig())) {
            for (LesionImageEvent event : events) {
                clinic.send(event);
            }
            clinic.sendRaw("case-" + marker + "-raw", garbage);
            raw++;
        }

        int poison = events.size() - 4 + raw;
        List<GenericRecord> results = TopicReader.readGeneric(stack.bootstrapServers(), Topics.TRIAGE_RESULTS,
                stack.serdeConfig(), 4, Duration.ofSeconds(60), Duration.ofSeconds(1));
        List<GenericRecord> letters = TopicReader.readGeneric(stack.bootstrapServers(), Topics.TRIAGE_FAILURES,
                stack.serdeConfig(), poison, Duration.ofSeconds(30), Duration.ofSeconds(2));
        assertThat(results).hasSize(4);
        assertThat(letters).hasSize(poison);

        // The dead-letter topic is the one place that keeps the original bytes.
        for (GenericRecord letter : letters) {
            assertThat(letter.get("original_value")).isNotNull();
            // Messages say why, never whose or what: no case reference, no payload.
            assertThat(String.valueOf(letter.get("message"))).doesNotContain(marker);
        }
        assertThat(letters).anySatisfy(letter -> assertThat(bytesOf(letter.get("original_value")))
                .containsSequence(secretBytes));

        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        assertThat(log).as("the log file captured the service").contains("Loaded model");
        assertThat(log).as("no case reference and no image text").doesNotContain(marker);
        for (String caseRef : caseRefs) {
            assertThat(log).doesNotContain(caseRef);
        }
        for (byte[] image : images) {
            if (image.length < 24) {
                continue;
            }
            byte[] chunk = java.util.Arrays.copyOfRange(image, image.length / 2 - 12, image.length / 2 + 12);
            assertThat(log).as("hex of image bytes").doesNotContain(HexFormat.of().formatHex(chunk))
                    .doesNotContain(HexFormat.of().withUpperCase().formatHex(chunk));
            String base64 = Base64.getEncoder().encodeToString(chunk);
            assertThat(log).as("base64 of image bytes").doesNotContain(base64.substring(4, 28));
        }
    }

    private static byte[] bytesOf(Object value) {
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
