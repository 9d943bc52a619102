package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.stack.RegistryServer;

/** The serde against a real schema registry (Apicurio, Confluent-compatible API, BACKWARD compatibility). */
@Tag("integration")
class RegistryContractTest {

    private static RegistryServer registry;
    private static Map<String, Object> configs;

    @BeforeAll
    static void startRegistry() throws IOException {
        registry = RegistryServer.start(0, 0, Files.createTempDirectory("registry-contract"));
        configs = Map.of(RegistrySerdeConfig.SCHEMA_REGISTRY_URL, registry.confluentUrl());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void lesionImageEventRoundTrips() {
        assertRoundTrip("lesion-images", LesionImageEvent.class, SampleRecords.lesionImageEvent());
    }

    @Test
    void triageResultRoundTrips() {
        assertRoundTrip("triage-results", TriageResult.class, SampleRecords.triageResult());
    }

    @Test
    void deadLetterRoundTrips() {
        assertRoundTrip("triage-failures", DeadLetter.class, SampleRecords.deadLetter());
    }

    @Test
    void keysAndValuesOfOneTopicAreSeparateSubjects() {
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySerdeConfig.from(configs));
        byte[] bytes = SpecificAvroSerde.configured(TriageResult.class, configs, true)
                .serializer().serialize("keyed-results", SampleRecords.triageResult());

        assertThat(client.lookup("keyed-results-key", TriageResult.getClassSchema()))
                .isEqualTo(ConfluentWireFormat.schemaId(bytes));
        assertThatThrownBy(() -> client.lookup("keyed-results-value", TriageResult.getClassSchema()))
                .isInstanceOf(RegistrySerdeException.class).hasFieldOrPropertyWithValue("reason", ReasonCode.SCHEMA_NOT_REGISTERED);
    }

    @Test
    void anIncompatibleSchemaIsRejectedOnRegistration() {
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySerdeConfig.from(configs));
        client.register("strict-images-value", LesionImageEvent.getClassSchema());
        Schema breaking = GenericWire.withField(LesionImageEvent.getClassSchema(),
                "{\"name\":\"patient_age\",\"type\":\"int\",\"doc\":\"Required, no default: breaks old data.\"}");

        RegistrySerdeException e = Failures.expect(ReasonCode.INCOMPATIBLE_SCHEMA,
                () -> client.register("strict-images-value", breaking));

        assertThat(e.reasonCode()).isEqualTo("INCOMPATIBLE_SCHEMA");
        assertThat(e.isTransient()).isFalse();
        assertThat(e).hasMessageContaining("strict-images-value").hasMessageContaining("HTTP 409")
                .hasMessageContaining(registry.confluentUrl());
    }

    @Test
    void anUnknownSchemaIdIsReported() {
        byte[] bytes = concat(ConfluentWireFormat.header(987_654), new byte[] {2, 'a'});

        RegistrySerdeException e = Failures.expect(ReasonCode.UNKNOWN_SCHEMA_ID,
                () -> deserializer(LesionImageEvent.class).deserialize("lesion-images", bytes));

        assertThat(e.reasonCode()).isEqualTo("UNKNOWN_SCHEMA_ID");
        assertThat(e.isTransient()).isFalse();
        assertThat(e).hasMessageContaining("987654").hasMessageContaining("HTTP 404");
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaFailsClearly() {
        Map<String, Object> lookupOnly = Map.of(RegistrySerdeConfig.SCHEMA_REGISTRY_URL, registry.confluentUrl(),
                RegistrySerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
        SpecificAvroSerde<LesionImageEvent> lookingUp =
                SpecificAvroSerde.configured(LesionImageEvent.class, lookupOnly, false);

        RegistrySerdeException e = Failures.expect(ReasonCode.SCHEMA_NOT_REGISTERED,
                () -> lookingUp.serializer().serialize("clinic-uploads", SampleRecords.lesionImageEvent()));
        assertThat(e.reasonCode()).isEqualTo("SCHEMA_NOT_REGISTERED");
        assertThat(e).hasMessageContaining("clinic-uploads-value").hasMessageContaining("auto.register.schemas");

        // Once an operator registers it, the same configuration finds its id.
        int registered = new SchemaRegistryClient(RegistrySerdeConfig.from(configs))
                .register("clinic-uploads-value", LesionImageEvent.getClassSchema());
        byte[] bytes = SpecificAvroSerde.configured(LesionImageEvent.class, lookupOnly, false)
                .serializer().serialize("clinic-uploads", SampleRecords.lesionImageEvent());
        assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(registered);
    }

    @Test
    void garbageAfterAValidHeaderIsASchemaMismatch() {
        byte[] valid = SpecificAvroSerde.configured(LesionImageEvent.class, configs, false)
                .serializer().serialize("lesion-images", SampleRecords.lesionImageEvent());
        byte[] header = Arrays.copyOf(valid, ConfluentWireFormat.HEADER_LENGTH);
        SpecificAvroDeserializer<LesionImageEvent> deserializer = deserializer(LesionImageEvent.class);

        // A length that the record cannot hold is refused before decoding, with its own reason.
        Map<byte[], ReasonCode> broken = new LinkedHashMap<>();
        broken.put(concat(header, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 1, 2}),
                ReasonCode.DECLARED_SIZE_BEYOND_RECORD); // negative length
        broken.put(concat(header, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80}), ReasonCode.SCHEMA_MISMATCH); // unterminated varint
        broken.put(header, ReasonCode.SCHEMA_MISMATCH); // nothing after the header
        broken.put(Arrays.copyOf(valid, valid.length - 3), ReasonCode.DECLARED_SIZE_BEYOND_RECORD); // truncated
        broken.put(concat(valid, new byte[] {42}), ReasonCode.SCHEMA_MISMATCH); // trailing bytes
        for (Map.Entry<byte[], ReasonCode> entry : broken.entrySet()) {
            byte[] bytes = entry.getKey();
            RegistrySerdeException e = Failures.expect(entry.getValue(),
                    () -> deserializer.deserialize("lesion-images", bytes));
            assertThat(e.reasonCode()).isEqualTo(entry.getValue().name());
            assertThat(e.isTransient()).isFalse();
            assertThat(e).hasMessageContaining("lesion-images")
                    .hasMessageContaining("schema id " + ConfluentWireFormat.schemaId(valid));
        }
    }

    @Test
    void bytesNotInTheWireFormatAreRejectedBeforeAskingTheRegistry() {
        SpecificAvroDeserializer<LesionImageEvent> deserializer = deserializer(LesionImageEvent.class);
        for (byte[] bytes : new byte[][] {{}, {0}, "{\"json\":true}".getBytes()}) {
            assertThatThrownBy(() -> deserializer.deserialize("lesion-images", bytes))
                    .isInstanceOf(RegistrySerdeException.class).hasFieldOrPropertyWithValue("reason", ReasonCode.NOT_WIRE_FORMAT);
        }
    }

    /** Readers and writers on different versions of a contract, through the registry. */
    @Nested
    class SchemaEvolution {

        private final SchemaRegistryClient client = new SchemaRegistryClient(RegistrySerdeConfig.from(configs));

        @Test
        void anOldReaderReadsDataFromANewerWriter() {
            client.register("evolving-images-value", LesionImageEvent.getClassSchema());
            Schema newer = GenericWire.withField(LesionImageEvent.getClassSchema(), "{\"name\":\"lesion_diameter_mm\","
                    + "\"type\":[\"null\",\"double\"],\"default\":null,\"doc\":\"Largest diameter, if measured.\"}");
            // The registry accepts it under BACKWARD compatibility: the field has a default.
            int newerId = client.register("evolving-images-value", newer);
            GenericRecord written = sampleEventAs(newer).set("lesion_diameter_mm", 6.5).build();

            LesionImageEvent read = deserializer(LesionImageEvent.class)
                    .deserialize("evolving-images", GenericWire.bytes(newerId, written));

            assertThat(read).isEqualTo(SampleRecords.lesionImageEvent());
        }

        @Test
        void aNewReaderReadsDataFromAnOlderWriterFillingDefaults() {
            Schema older = GenericWire.withoutFields(LesionImageEvent.getClassSchema(),
                    "body_site", "device", "schema_version");
            int olderId = client.register("legacy-images-value", older);
            GenericRecord written = sampleEventAs(older).build();

            LesionImageEvent read = deserializer(LesionImageEvent.class)
                    .deserialize("legacy-images", GenericWire.bytes(olderId, written));

            assertThat(read.getCaseRef()).isEqualTo("case-0042");
            assertThat(read.getEventId()).isEqualTo(SampleRecords.EVENT_ID);
            assertThat(read.getCapturedAt()).isEqualTo(SampleRecords.CAPTURED_AT);
            assertThat(read.getBodySite()).isNull();
            assertThat(read.getDevice()).isNull();
            assertThat(read.getSchemaVersion()).isEqualTo(1);
        }

        @Test
        void aWriterWithoutARequiredFieldIsAMissingField() {
            Schema lacking = GenericWire.withoutFields(LesionImageEvent.getClassSchema(), "clinic_id");
            int lackingId = client.register("clinicless-images-value", lacking);
            byte[] bytes = GenericWire.bytes(lackingId, sampleEventAs(lacking).build());

            RegistrySerdeException e = Failures.expect(ReasonCode.MISSING_FIELD,
                    () -> deserializer(LesionImageEvent.class).deserialize("clinicless-images", bytes));

            assertThat(e.reasonCode()).isEqualTo("MISSING_FIELD");
            assertThat(e.isTransient()).isFalse();
            assertThat(e).hasMessageContaining("clinic_id").hasMessageContaining("schema id " + lackingId);
        }

        @Test
        void aWriterWithAnotherTypeForAFieldIsASchemaMismatch() {
            Schema retyped = GenericWire.withField(GenericWire.withoutFields(LesionImageEvent.getClassSchema(),
                    "schema_version"), "{\"name\":\"schema_version\",\"type\":\"string\",\"doc\":\"Now text.\"}");
            int retypedId = client.register("retyped-images-value", retyped);
            byte[] bytes = GenericWire.bytes(retypedId, sampleEventAs(retyped).set("schema_version", "one").build());

            RegistrySerdeException e = Failures.expect(ReasonCode.SCHEMA_MISMATCH,
                    () -> deserializer(LesionImageEvent.class).deserialize("retyped-images", bytes));

            assertThat(e.reasonCode()).isEqualTo("SCHEMA_MISMATCH");
            assertThat(e).hasMessageContaining("schema_version").hasMessageContaining("TYPE_MISMATCH");
        }

        /** The sample event as a generic record of {@code schema}, for the fields that schema has. */
        private GenericRecordBuilder sampleEventAs(Schema schema) {
            LesionImageEvent sample = SampleRecords.lesionImageEvent();
            GenericRecordBuilder builder = new GenericRecordBuilder(schema);
            for (Schema.Field field : schema.getFields()) {
                if (LesionImageEvent.getClassSchema().getField(field.name()) == null
                        || !field.schema().equals(LesionImageEvent.getClassSchema().getField(field.name()).schema())) {
                    continue;
                }
                Object value = sample.get(field.name());
                if (value instanceof java.util.UUID uuid) {
                    value = uuid.toString();
                } else if (value instanceof java.time.Instant instant) {
                    value = instant.toEpochMilli();
                } else if (value instanceof Enum<?> symbol) {
                    value = new GenericData.EnumSymbol(field.schema(), symbol.name());
                }
                builder.set(field, value);
            }
            return builder;
        }
    }

    private static <T extends SpecificRecord> void assertRoundTrip(String topic, Class<T> type, T record) {
        SpecificAvroSerde<T> serde = SpecificAvroSerde.configured(type, configs, false);

        byte[] bytes = serde.serializer().serialize(topic, record);
        T read = SpecificAvroSerde.configured(type, configs, false).deserializer().deserialize(topic, bytes);

        assertThat(read).isEqualTo(record);
        assertThat(bytes[0]).isZero();
        // A fresh client sees the same id under the topic's subject and gets the same schema back by id.
        SchemaRegistryClient fresh = new SchemaRegistryClient(RegistrySerdeConfig.from(configs));
        int id = ConfluentWireFormat.schemaId(bytes);
        assertThat(fresh.lookup(topic + "-value", record.getSchema())).isEqualTo(id);
        assertThat(fresh.register(topic + "-value", record.getSchema())).isEqualTo(id);
        assertThat(fresh.schemaById(id)).isEqualTo(record.getSchema());
    }

    private static <T extends SpecificRecord> SpecificAvroDeserializer<T> deserializer(Class<T> type) {
        SpecificAvroDeserializer<T> deserializer = new SpecificAvroDeserializer<>(type);
        deserializer.configure(configs, false);
        return deserializer;
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
