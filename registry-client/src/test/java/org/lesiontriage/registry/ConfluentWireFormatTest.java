package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ConfluentWireFormatTest {

    @Test
    void headerIsMagicByteZeroThenBigEndianId() {
        assertThat(ConfluentWireFormat.header(1)).containsExactly(0, 0, 0, 0, 1);
        assertThat(ConfluentWireFormat.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
        assertThat(ConfluentWireFormat.header(Integer.MAX_VALUE)).containsExactly(0, 0x7f, 0xff, 0xff, 0xff);
    }

    @Test
    void parsesTheIdFromTheHeaderIgnoringThePayload() {
        assertThat(ConfluentWireFormat.schemaId(new byte[] {0, 0, 0, 1, 0x2c, 9, 9})).isEqualTo(300);
        assertThat(ConfluentWireFormat.schemaId(new byte[] {0, 0x12, 0x34, 0x56, 0x78})).isEqualTo(0x12345678);
        assertThat(ConfluentWireFormat.schemaId(ConfluentWireFormat.header(65_537))).isEqualTo(65_537);
    }

    @Test
    void rejectsEmptyValues() {
        assertNotWireFormat(new byte[0], "Empty value");
    }

    @Test
    void rejectsValuesShorterThanTheHeader() {
        assertNotWireFormat(new byte[] {0}, "1 bytes is shorter");
        assertNotWireFormat(new byte[] {0, 0, 0, 1}, "4 bytes is shorter");
    }

    @Test
    void rejectsAMagicByteOtherThanZero() {
        // '{' as the first byte: someone produced JSON to the topic.
        assertNotWireFormat("{\"case_ref\":\"x\"}".getBytes(), "Magic byte is 123");
        assertNotWireFormat(new byte[] {1, 0, 0, 0, 1, 2}, "Magic byte is 1");
    }

    private static void assertNotWireFormat(byte[] data, String messagePart) {
        assertThatThrownBy(() -> ConfluentWireFormat.schemaId(data))
                .isInstanceOf(RegistrySerdeException.class).hasFieldOrPropertyWithValue("reason", ReasonCode.NOT_WIRE_FORMAT)
                .hasMessageContaining(messagePart)
                .satisfies(e -> {
                    RegistrySerdeException error = (RegistrySerdeException) e;
                    assertThat(error.reasonCode()).isEqualTo("NOT_WIRE_FORMAT");
                    assertThat(error.isTransient()).isFalse();
                });
    }
}
