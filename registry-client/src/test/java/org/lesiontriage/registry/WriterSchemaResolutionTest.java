package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.TriageResult;

@Tag("unit")
class WriterSchemaResolutionTest {

    private static final Schema READER = TriageResult.getClassSchema();

    @Test
    void theSameSchemaIsReadable() {
        assertThatCode(() -> WriterSchemaResolution.requireReadable(READER, READER, 1)).doesNotThrowAnyException();
    }

    @Test
    void locationsAreNamedByFieldEvenInNestedRecords() {
        assertThat(WriterSchemaResolution.fieldPath(READER, "/fields/8/type/fields/1/type")).isEqualTo("model.version");
        assertThat(WriterSchemaResolution.fieldPath(READER, "/fields/3/type/items/fields/0/type"))
                .isEqualTo("probabilities.label");
        assertThat(WriterSchemaResolution.fieldPath(READER, "/nonsense/99")).isEqualTo("/nonsense/99");
    }

    @Test
    void aNestedTypeChangeIsAMismatchNamingThePath() {
        Schema writer = new Schema.Parser().parse(READER.toString().replace(
                "{\"name\":\"batch_size\",\"type\":\"int\"", "{\"name\":\"batch_size\",\"type\":\"string\""));

        assertThatThrownBy(() -> WriterSchemaResolution.requireReadable(READER, writer, 5))
                .isInstanceOf(RegistrySerdeException.class).hasFieldOrPropertyWithValue("reason", ReasonCode.SCHEMA_MISMATCH)
                .hasMessageContaining("TYPE_MISMATCH at batch_size")
                .hasMessageContaining("schema id 5");
    }
}
