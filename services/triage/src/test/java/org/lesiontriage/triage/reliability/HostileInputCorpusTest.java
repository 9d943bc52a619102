package org.lesiontriage.triage.reliability;

import org.lesiontriage.triage.batching.MicroBatcher;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lesiontriage.triage.reliability.HostileImages.concat;
import static org.lesiontriage.triage.reliability.HostileImages.lesion;
import static org.lesiontriage.triage.reliability.HostileImages.random;
import static org.lesiontriage.triage.reliability.HostileImages.truncated;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ClassProbability;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.ModelRef;
import org.lesiontriage.contracts.TriagePriority;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.ConfluentWireFormat;
import org.lesiontriage.registry.RegistrySerdeConfig;
import org.lesiontriage.registry.SchemaRegistries;
import org.lesiontriage.registry.SchemaRegistry;
import org.lesiontriage.registry.SpecificAvroSerializer;
import org.lesiontriage.registry.testing.HostileAvroBodies;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.triage.testing.TopologyHarness;
import org.lesiontriage.contracts.Topics;

/**
 * A generated corpus of hostile and unusual inputs, each with its expected outcome (one dead letter with a reason
 * code, or one correct result), driven through the real topology with the real model and the real serdes (on the
 * in-memory registry: the registry protocol itself is RegistryContractTest's), with good events interleaved so that
 * good traffic is seen to keep flowing after every bad record.
 */
@Tag("topology")
class HostileInputCorpusTest {

    /** The size limit of this run: small enough to build an oversized event cheaply. */
    static final long MAX_BYTES = 2L * 1024 * 1024;
    static final ImageLimits LIMITS = new ImageLimits(MAX_BYTES, 40_000_000L, 16);
    static final String RESULT = "RESULT";

    private static final Map<String, Object> serdeConfig = TopologyHarness.inMemoryRegistry(HostileInputCorpusTest.class);
    private static final SchemaRegistry registryClient = SchemaRegistries.connect(RegistrySerdeConfig.from(serdeConfig));

    /** One corpus entry: the raw key and value as they arrive on lesion-images, and the expected outcome. */
    record Case(String name, String expected, String eventId, byte[] value, byte[] image, String mediaType) {
    }


    static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        byte[] jpeg = HostileImages.jpeg(lesion(160, 120, BufferedImage.TYPE_INT_RGB, 1));
        byte[] png = HostileImages.png(lesion(160, 120, BufferedImage.TYPE_INT_RGB, 2));
        byte[] gif = HostileImages.gif(lesion(64, 64, BufferedImage.TYPE_INT_RGB, 3));

        // ---- not the wire format, unknown or unreadable writer schemas -------------------------------------
        cases.add(raw("zero-byte value", "NOT_WIRE_FORMAT", new byte[0]));
        cases.add(raw("random bytes (magic byte not 0)", "NOT_WIRE_FORMAT", withFirstByte(random(1024, 5), (byte) 7)));
        cases.add(raw("shorter than the 5-byte header", "NOT_WIRE_FORMAT", new byte[] {0, 0, 0, 1}));
        cases.add(raw("JSON text of an event", "NOT_WIRE_FORMAT",
                "{\"event_id\":\"x\",\"case_ref\":\"case-json\"}".getBytes(StandardCharsets.UTF_8)));
        cases.add(raw("plain JPEG file, no Avro envelope", "NOT_WIRE_FORMAT", jpeg));
        cases.add(raw("unknown schema id", "UNKNOWN_SCHEMA_ID", concat(ConfluentWireFormat.header(0x7f7f7f7f), random(64, 6))));
        cases.add(raw("a TriageResult (subject triage-results-value)", "SCHEMA_MISMATCH", triageResultBytes()));
        cases.add(raw("made-up record under another subject", "SCHEMA_MISMATCH", madeUpRecordBytes()));
        cases.add(raw("same record name, event_id of type int", "SCHEMA_MISMATCH", wrongFieldTypeBytes()));
        LesionImageEvent good = LesionEvents.builder(jpeg, "image/jpeg").build();
        byte[] goodBytes = TopologyHarness.serialize(good, serdeConfig);
        cases.add(raw("valid header, Avro body truncated", "DECLARED_SIZE_BEYOND_RECORD", truncated(goodBytes, 0.5)));
        cases.add(raw("valid record with trailing bytes", "SCHEMA_MISMATCH", concat(goodBytes, new byte[] {1, 2, 3})));
        cases.add(raw("valid header, random Avro body", "DECLARED_SIZE_BEYOND_RECORD",
                concat(Arrays2.header(goodBytes), random(300, 8))));
        for (HostileAvroBodies.Body lie : HostileAvroBodies.all()) {
            int writerId = registryClient.register(Topics.LESION_IMAGES + "-value", lie.writer());
            cases.add(raw("Avro body: " + lie.name(), lie.expected().name(), lie.framed(writerId)));
        }
        cases.add(raw("malformed UUID in event_id", "SCHEMA_MISMATCH", malformedUuidBytes(jpeg)));
        cases.add(raw("writer schema lacks required case_ref", "MISSING_FIELD", withoutFieldBytes("case_ref", jpeg)));
        cases.add(raw("tombstone (null value)", "MISSING_VALUE", null));

        // ---- required fields blank --------------------------------------------------------------------
        cases.add(event("blank clinic_id", "MISSING_FIELD", LesionEvents.builder(jpeg, "image/jpeg").setClinicId(" ")));
        cases.add(event("blank case_ref", "MISSING_FIELD", LesionEvents.builder(jpeg, "image/jpeg").setCaseRef("")));
        cases.add(event("blank media_type", "MISSING_FIELD", LesionEvents.builder(jpeg, "image/jpeg").setMediaType("  ")));

        // ---- envelope of the image ----------------------------------------------------------------------
        cases.add(image("zero image bytes", "IMAGE_EMPTY", new byte[0], "image/jpeg"));
        cases.add(image("image over the size limit", "IMAGE_TOO_LARGE",
                concat(jpeg, new byte[(int) MAX_BYTES]), "image/jpeg"));
        cases.add(image("GIF declared image/gif", "UNSUPPORTED_MEDIA_TYPE", gif, "image/gif"));
        cases.add(image("SVG declared image/svg+xml", "UNSUPPORTED_MEDIA_TYPE", HostileImages.svg(), "image/svg+xml"));
        cases.add(image("JPEG declared application/octet-stream", "UNSUPPORTED_MEDIA_TYPE", jpeg, "application/octet-stream"));
        cases.add(image("PNG declared image/jpeg", "MEDIA_TYPE_MISMATCH", png, "image/jpeg"));
        cases.add(image("JPEG declared image/png", "MEDIA_TYPE_MISMATCH", jpeg, "image/png"));
        cases.add(image("animated GIF declared image/png", "MEDIA_TYPE_MISMATCH", HostileImages.animatedGif(48), "image/png"));
        cases.add(image("SVG declared image/jpeg", "MEDIA_TYPE_MISMATCH", HostileImages.svg(), "image/jpeg"));
        cases.add(image("random bytes declared image/jpeg", "MEDIA_TYPE_MISMATCH", random(4096, 9), "image/jpeg"));

        // ---- header guards ----------------------------------------------------------------------------------
        cases.add(image("PNG bomb: IHDR 100000x100000 in 66 bytes", "IMAGE_TOO_MANY_PIXELS",
                HostileImages.pngBomb(100_000, 100_000), "image/png"));
        cases.add(image("JPEG bomb: SOF0 65000x65000", "IMAGE_TOO_MANY_PIXELS",
                HostileImages.jpegWithDeclaredSize(jpeg, 65_000, 65_000), "image/jpeg"));
        cases.add(image("PNG bomb: 40000x1001 (just over 40 MP)", "IMAGE_TOO_MANY_PIXELS",
                HostileImages.pngBomb(40_000, 1_001), "image/png"));
        cases.add(image("1x1 PNG", "IMAGE_TOO_SMALL", HostileImages.png(lesion(1, 1, BufferedImage.TYPE_INT_RGB, 4)), "image/png"));
        cases.add(image("4000x8 PNG (extreme, below min side)", "IMAGE_TOO_SMALL",
                HostileImages.png(lesion(4000, 8, BufferedImage.TYPE_INT_RGB, 5)), "image/png"));

        // ---- decoding -----------------------------------------------------------------------------------------
        cases.add(image("truncated JPEG (half)", "IMAGE_UNDECODABLE", truncated(jpeg, 0.5), "image/jpeg"));
        cases.add(image("truncated PNG (half)", "IMAGE_UNDECODABLE", truncated(png, 0.5), "image/png"));
        cases.add(image("JPEG magic then noise", "IMAGE_UNDECODABLE",
                concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, random(2048, 10)), "image/jpeg"));
        cases.add(image("PNG signature only", "IMAGE_UNDECODABLE", Arrays2.prefix(png, 8), "image/png"));
        cases.add(image("PNG whose IEND chunk CRC is wrong", "IMAGE_CORRUPT", withLastByteFlipped(png), "image/png"));
        cases.add(image("PNG with a corrupt IDAT (not zlib)", "IMAGE_UNDECODABLE", HostileImages.pngCorruptIdat(64, 11), "image/png"));
        cases.add(image("CMYK JPEG", "IMAGE_UNSUPPORTED_COLOR", HostileImages.cmykJpeg(48, 12), "image/jpeg"));

        // ---- valid but unusual: each must give a correct result ---------------------------------------------
        cases.add(image("4000x16 PNG", RESULT, HostileImages.png(lesion(4000, 16, BufferedImage.TYPE_INT_RGB, 13)), "image/png"));
        cases.add(image("16x4000 JPEG", RESULT, HostileImages.jpeg(lesion(16, 4000, BufferedImage.TYPE_INT_RGB, 14)), "image/jpeg"));
        cases.add(image("16x16 PNG (exactly the min side)", RESULT, HostileImages.png(lesion(16, 16, BufferedImage.TYPE_INT_RGB, 15)), "image/png"));
        cases.add(image("grayscale JPEG", RESULT, HostileImages.jpeg(lesion(96, 96, BufferedImage.TYPE_BYTE_GRAY, 16)), "image/jpeg"));
        cases.add(image("grayscale PNG", RESULT, HostileImages.png(lesion(96, 96, BufferedImage.TYPE_BYTE_GRAY, 17)), "image/png"));
        cases.add(image("RGBA PNG (alpha dropped)", RESULT, HostileImages.png(lesion(96, 96, BufferedImage.TYPE_INT_ARGB, 18)), "image/png"));
        cases.add(image("palette PNG", RESULT, HostileImages.png(lesion(96, 96, BufferedImage.TYPE_BYTE_INDEXED, 19)), "image/png"));
        cases.add(image("16-bit grayscale PNG", RESULT, HostileImages.png16BitGray(80, 60), "image/png"));
        cases.add(image("media type with parameters and upper case", RESULT, png, "IMAGE/PNG; charset=binary"));
        return cases;
    }

    /** The last byte of a PNG is the last byte of IEND's CRC. */
    private static byte[] withLastByteFlipped(byte[] png) {
        byte[] corrupt = png.clone();
        corrupt[corrupt.length - 1] ^= 0x5a;
        return corrupt;
    }

    @Test
    void everyCaseHasItsExpectedOutcomeAndGoodTrafficKeepsFlowing() {
        List<Case> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        var components = TopologyHarness.components(serdeConfig, TopologyHarness.policy(4, 20), LIMITS, meters);
        LesionClassifier classifier = TestModel.classifier();
        ImagePreprocessor preprocessor = new ImagePreprocessor(LIMITS, classifier.descriptor().inputHeight(),
                classifier.descriptor().inputWidth());

        try (TopologyTestDriver driver = TopologyHarness.driver(TopologyHarness.topology(components, serdeConfig))) {
            TestInputTopic<byte[], byte[]> input = TopologyHarness.images(driver);
            TestOutputTopic<byte[], TriageResult> results = TopologyHarness.results(driver, serdeConfig);
            TestOutputTopic<byte[], DeadLetter> deadLetters = TopologyHarness.deadLetters(driver, serdeConfig);

            Map<String, TriageResult> resultsById = new HashMap<>();
            Map<Long, DeadLetter> lettersByOffset = new HashMap<>();
            List<String> answeredIds = new ArrayList<>();
            Set<String> goodIds = new HashSet<>();
            Map<Long, Case> caseByOffset = new HashMap<>();
            Map<Long, byte[]> valueByOffset = new HashMap<>();
            long offset = 0;
            int inputs = 0;

            for (Case c : corpus) {
                LesionImageEvent before = LesionEvents.jpeg(1000 + inputs);
                input.pipeInput(key(before.getCaseRef()), TopologyHarness.serialize(before, serdeConfig));
                goodIds.add(before.getEventId().toString());
                offset++;
                inputs++;

                caseByOffset.put(offset, c);
                valueByOffset.put(offset, c.value());
                input.pipeInput(key("case-hostile-" + inputs), c.value());
                offset++;
                inputs++;

                LesionImageEvent after = LesionEvents.jpeg(2000 + inputs);
                input.pipeInput(key(after.getCaseRef()), TopologyHarness.serialize(after, serdeConfig));
                goodIds.add(after.getEventId().toString());
                offset++;
                inputs++;
                // The piped records keep their first timestamp while the driver's clock moves on, so they look
                // late to the batcher, which then waits BACKLOG_PATIENCE x max-delay of silence before a partial
                // batch runs.
                driver.advanceWallClockTime(Duration.ofMillis(20L * MicroBatcher.BACKLOG_PATIENCE + 5));

                for (TestRecord<byte[], TriageResult> r : results.readRecordsToList()) {
                    String id = r.value().getEventId().toString();
                    answeredIds.add(id);
                    resultsById.put(id, r.value());
                }
                for (DeadLetter letter : deadLetters.readValuesToList()) {
                    answeredIds.add(letter.getEventId() != null ? letter.getEventId() : "offset:" + letter.getSourceOffset());
                    lettersByOffset.put(letter.getSourceOffset(), letter);
                }
                assertThat(resultsById).as("good events around '%s' are answered", c.name())
                        .containsKeys(before.getEventId().toString(), after.getEventId().toString());
            }

            // Counting invariant: every input answered exactly once, by a result or a dead letter.
            assertThat(answeredIds).as("one answer per input").hasSize(inputs).doesNotHaveDuplicates();
            assertThat(resultsById.size() + lettersByOffset.size()).isEqualTo(inputs);
            assertThat(meters.get("triage.events.in").counter().count()).isEqualTo(inputs);
            assertThat(resultsById.keySet()).containsAll(goodIds);

            List<String> mismatches = new ArrayList<>();
            for (var entry : caseByOffset.entrySet()) {
                Case c = entry.getValue();
                DeadLetter letter = lettersByOffset.get(entry.getKey());
                if (c.expected().equals(RESULT)) {
                    TriageResult result = resultsById.get(c.eventId());
                    if (letter != null || result == null) {
                        mismatches.add(c.name() + ": expected a result, got " + (letter == null ? "nothing" : letter.getReasonCode()));
                        continue;
                    }
                    assertCorrect(c, result, preprocessor, classifier);
                } else if (letter == null) {
                    mismatches.add(c.name() + ": expected " + c.expected() + ", got a result or nothing");
                } else {
                    if (!letter.getReasonCode().equals(c.expected())) {
                        mismatches.add(c.name() + ": expected " + c.expected() + ", got " + letter.getReasonCode()
                                + " (" + letter.getMessage() + ")");
                    }
                    assertThat(letter.getOriginalValue() == null ? null : bytes(letter.getOriginalValue()))
                            .as("original bytes of '%s'", c.name()).isEqualTo(valueByOffset.get(entry.getKey()));
                    assertThat(letter.getSourceTopic()).isEqualTo(Topics.LESION_IMAGES);
                    assertThat(letter.getMessage()).as("message of '%s'", c.name()).isNotBlank()
                            .doesNotContain("case-hostile-").doesNotContain("case-");
                    if (c.eventId() != null) {
                        assertThat(letter.getEventId()).as("event id of '%s'", c.name()).isEqualTo(c.eventId());
                    }
                }
            }
            assertThat(mismatches).as("cases with an unexpected outcome").isEmpty();
            assertThat(lettersByOffset.values().stream().map(DeadLetter::getReasonCode).collect(Collectors.toSet()))
                    .as("reason codes covered").hasSizeGreaterThanOrEqualTo(13);
        }
    }

    /** The result of a valid-but-unusual image is the model's answer for that image's contract tensor. */
    private static void assertCorrect(Case c, TriageResult result, ImagePreprocessor preprocessor, LesionClassifier classifier) {
        float[] expected;
        try {
            FloatBuffer one = classifier.newBatchBuffer(1);
            one.put(preprocessor.preprocess(c.image(), c.mediaType()));
            expected = classifier.classify(one, 1)[0];
        } catch (Exception e) {
            throw new AssertionError("reference scoring of '" + c.name() + "' failed", e);
        }
        List<ClassProbability> probabilities = result.getProbabilities();
        assertThat(probabilities).as("probabilities of '%s'", c.name()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(probabilities.get(i).getProbability()).as("p[%d] of '%s'", i, c.name())
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4));
        }
        TriagePriority priority = result.getMelanomaProbability() >= result.getThreshold() ? TriagePriority.URGENT : TriagePriority.ROUTINE;
        assertThat(result.getPriority()).as("priority of '%s'", c.name()).isEqualTo(priority);
    }

    // ---- case builders --------------------------------------------------------------------------------------

    private static Case raw(String name, String expected, byte[] value) {
        return new Case(name, expected, null, value, null, null);
    }

    private static Case event(String name, String expected, LesionImageEvent.Builder builder) {
        LesionImageEvent event = builder.build();
        return new Case(name, expected, event.getEventId().toString(), TopologyHarness.serialize(event, serdeConfig),
                bytes(event.getImage()), event.getMediaType());
    }

    private static Case image(String name, String expected, byte[] image, String mediaType) {
        return event(name, expected, LesionEvents.builder(image, mediaType));
    }

    private static byte[] key(String caseRef) {
        return caseRef.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withFirstByte(byte[] bytes, byte first) {
        bytes[0] = first;
        return bytes;
    }

    private static byte[] triageResultBytes() {
        TriageResult result = TriageResult.newBuilder()
                .setEventId(UUID.randomUUID()).setClinicId("clinic-x").setCaseRef("case-result")
                .setCapturedAt(Instant.now())
                .setProbabilities(List.of(new ClassProbability("non_melanoma", 0.9), new ClassProbability("melanoma", 0.1)))
                .setPredictedClass("non_melanoma").setPriority(TriagePriority.ROUTINE).setMelanomaProbability(0.1)
                .setThreshold(0.5).setModel(new ModelRef("m", "1", "0".repeat(64)))
                .setReceivedAt(Instant.now()).setScoredAt(Instant.now()).setQueueTimeMs(1).setInferenceTimeMs(1)
                .setBatchSize(1).build();
        SpecificAvroSerializer<TriageResult> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serdeConfig, false);
        return serializer.serialize(Topics.TRIAGE_RESULTS, result);
    }

    private static byte[] madeUpRecordBytes() {
        Schema schema = SchemaBuilder.record("Appointment").namespace("org.example.other").fields()
                .requiredString("patient_slot").requiredLong("at").endRecord();
        GenericRecord record = new GenericData.Record(schema);
        record.put("patient_slot", "slot-17");
        record.put("at", 1L);
        return encode("appointments-value", schema, record);
    }

    private static byte[] wrongFieldTypeBytes() {
        Schema schema = SchemaBuilder.record(LesionImageEvent.getClassSchema().getName())
                .namespace(LesionImageEvent.getClassSchema().getNamespace()).fields()
                .requiredInt("event_id").requiredString("clinic_id").requiredString("case_ref")
                .requiredLong("captured_at").requiredString("media_type").requiredBytes("image").endRecord();
        GenericRecord record = new GenericData.Record(schema);
        record.put("event_id", 42);
        record.put("clinic_id", "clinic-x");
        record.put("case_ref", "case-int");
        record.put("captured_at", 1L);
        record.put("media_type", "image/jpeg");
        record.put("image", ByteBuffer.wrap(new byte[] {1}));
        return encode("lesion-images-int-id-value", schema, record);
    }

    /** The real LesionImageEvent schema, written without logical-type conversions, with a non-UUID event_id. */
    private static byte[] malformedUuidBytes(byte[] image) {
        Schema schema = LesionImageEvent.getClassSchema();
        GenericRecord record = genericEvent(schema, image);
        record.put("event_id", "not-a-uuid");
        return encode(Topics.LESION_IMAGES + "-value", schema, record);
    }

    /** A writer schema of the same record without {@code field} (which the reader requires and has no default). */
    private static byte[] withoutFieldBytes(String field, byte[] image) {
        Schema full = LesionImageEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : full.getFields()) {
            if (!f.name().equals(field)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        Schema schema = Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
        GenericRecord record = new GenericData.Record(schema);
        GenericRecord fullRecord = genericEvent(full, image);
        for (Schema.Field f : schema.getFields()) {
            record.put(f.name(), fullRecord.get(f.name()));
        }
        return encode("lesion-images-legacy-value", schema, record);
    }

    private static GenericRecord genericEvent(Schema schema, byte[] image) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("event_id", UUID.randomUUID().toString());
        record.put("clinic_id", "clinic-x");
        record.put("case_ref", "case-generic");
        record.put("captured_at", System.currentTimeMillis());
        record.put("media_type", "image/jpeg");
        record.put("image", ByteBuffer.wrap(image));
        record.put("modality", new GenericData.EnumSymbol(schema.getField("modality").schema(), "DERMOSCOPIC"));
        record.put("body_site", null);
        record.put("device", null);
        record.put("schema_version", 1);
        return record;
    }

    private static byte[] encode(String subject, Schema schema, GenericRecord record) {
        int id = registryClient.register(subject, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ConfluentWireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(schema, new GenericData()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Byte-array utilities. */
    static final class Arrays2 {
        private Arrays2() {
        }

        static byte[] header(byte[] framed) {
            return prefix(framed, ConfluentWireFormat.HEADER_LENGTH);
        }

        static byte[] prefix(byte[] bytes, int length) {
            return java.util.Arrays.copyOf(bytes, length);
        }
    }
}
