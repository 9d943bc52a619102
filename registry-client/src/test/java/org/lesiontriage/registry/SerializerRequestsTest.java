package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ModelRef;

/** What the serde sends to a registry and writes to Kafka, checked byte for byte against a scripted registry. */
@Tag("unit")
class SerializerRequestsTest {

    @Test
    void writesHeaderWithTheRegisteredIdThenAvroBinary() throws Exception {
        try (StubRegistry registry = StubRegistry.start(request -> new StubRegistry.Answer(200, "{\"id\":7}"))) {
            SpecificAvroSerde<ModelRef> serde = SpecificAvroSerde.configured(ModelRef.class,
                    Map.of("schema.registry.url", registry.url()), false);

            byte[] bytes = serde.serializer().serialize("model-refs", new ModelRef("a", "bc", "d"));

            // Avro strings are a zig-zag varint length (1 -> 2, 2 -> 4) followed by UTF-8.
            assertThat(bytes).containsExactly(0, 0, 0, 0, 7, 2, 'a', 4, 'b', 'c', 2, 'd');
            StubRegistry.Request request = registry.requests().get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/subjects/model-refs-value/versions");
            assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
            JsonNode body = new ObjectMapper().readTree(request.body());
            assertThat(body.get("schemaType").asText()).isEqualTo("AVRO");
            assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(ModelRef.getClassSchema());
        }
    }

    @Test
    void keysUseTheKeySubjectAndLookupDoesNotRegister() throws Exception {
        try (StubRegistry registry = StubRegistry.start(request -> new StubRegistry.Answer(200,
                "{\"subject\":\"model-refs-key\",\"id\":12,\"version\":1,\"schema\":\"\\\"string\\\"\"}"))) {
            SpecificAvroSerde<ModelRef> serde = SpecificAvroSerde.configured(ModelRef.class,
                    Map.of("schema.registry.url", registry.url(), "auto.register.schemas", false), true);

            byte[] bytes = serde.serializer().serialize("model-refs", new ModelRef("a", "b", "c"));

            assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(12);
            assertThat(registry.requests()).extracting(StubRegistry.Request::path)
                    .containsExactly("/subjects/model-refs-key");
        }
    }

    @Test
    void asksTheRegistryOncePerSchemaAndOncePerId() throws Exception {
        String modelRefSchema = new ObjectMapper().createObjectNode()
                .put("schema", ModelRef.getClassSchema().toString()).toString();
        try (StubRegistry registry = StubRegistry.start(request -> new StubRegistry.Answer(200,
                request.method().equals("GET") ? modelRefSchema : "{\"id\":3}"))) {
            Map<String, String> configs = Map.of("schema.registry.url", registry.url());
            SpecificAvroSerde<ModelRef> writer = SpecificAvroSerde.configured(ModelRef.class, configs, false);
            SpecificAvroSerde<ModelRef> reader = SpecificAvroSerde.configured(ModelRef.class, configs, false);

            for (int i = 0; i < 3; i++) {
                ModelRef model = new ModelRef("m", "v" + i, "s");
                byte[] bytes = writer.serializer().serialize("model-refs", model);
                assertThat(reader.deserializer().deserialize("model-refs", bytes)).isEqualTo(model);
            }

            assertThat(registry.requests()).extracting(r -> r.method() + " " + r.path())
                    .containsExactly("POST /subjects/model-refs-value/versions", "GET /schemas/ids/3");
        }
    }

    @Test
    void nullsPassThroughAsTombstones() throws Exception {
        try (StubRegistry registry = StubRegistry.start(request -> new StubRegistry.Answer(500, ""))) {
            SpecificAvroSerde<ModelRef> serde = SpecificAvroSerde.configured(ModelRef.class,
                    Map.of("schema.registry.url", registry.url()), false);
            assertThat(serde.serializer().serialize("model-refs", null)).isNull();
            assertThat(serde.deserializer().deserialize("model-refs", null)).isNull();
            assertThat(registry.requests()).isEmpty();
        }
    }

    @Test
    void aRecordMissingARequiredValueIsAnInvalidRecord() throws Exception {
        try (StubRegistry registry = StubRegistry.start(request -> new StubRegistry.Answer(200, "{\"id\":1}"))) {
            SpecificAvroSerde<ModelRef> serde = SpecificAvroSerde.configured(ModelRef.class,
                    Map.of("schema.registry.url", registry.url()), false);
            ModelRef incomplete = new ModelRef("proposed", null, "abc");

            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> serde.serializer().serialize("model-refs", incomplete))
                    .isInstanceOf(RegistrySerdeException.class).hasFieldOrPropertyWithValue("reason", ReasonCode.INVALID_RECORD)
                    .hasMessageContaining("model-refs-value")
                    .hasMessageContaining("version")
                    .extracting(e -> ((RegistrySerdeException) e).reasonCode()).isEqualTo("INVALID_RECORD");
        }
    }
}
