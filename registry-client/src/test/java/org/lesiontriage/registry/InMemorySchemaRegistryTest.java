package org.lesiontriage.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.registry.testing.InMemorySchemaRegistry;

/** The in-memory registry speaks through the real serdes, with the real wire format and reason codes. */
@Tag("unit")
class InMemorySchemaRegistryTest {

    private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", InMemorySchemaRegistry.url("round-trip"));

    @Test
    void realSerdesRoundTripThroughIt() {
        var serializer = new SpecificAvroSerializer<LesionImageEvent>();
        serializer.configure(CONFIG, false);
        var deserializer = new SpecificAvroDeserializer<>(LesionImageEvent.class);
        deserializer.configure(CONFIG, false);
        LesionImageEvent event = SampleRecords.lesionImageEvent();

        byte[] bytes = serializer.serialize("lesion-images", event);

        assertThat(bytes[0]).isZero();
        assertThat(deserializer.deserialize("lesion-images", bytes)).isEqualTo(event);
        assertThat(InMemorySchemaRegistry.named("round-trip").lookup("lesion-images-value", event.getSchema()))
                .isEqualTo(InMemorySchemaRegistry.named("round-trip").register("lesion-images-value", event.getSchema()));
    }

    @Test
    void unknownIdsAndUnregisteredLookupsFailWithTheirReasonCodes() {
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.named("failures");
        assertThatThrownBy(() -> registry.schemaById(999)).isInstanceOf(RegistrySerdeException.class)
                .hasFieldOrPropertyWithValue("reason", ReasonCode.UNKNOWN_SCHEMA_ID);
        assertThatThrownBy(() -> registry.lookup("nothing-value", LesionImageEvent.getClassSchema()))
                .isInstanceOf(RegistrySerdeException.class)
                .hasFieldOrPropertyWithValue("reason", ReasonCode.SCHEMA_NOT_REGISTERED);
    }
}
