package org.lesiontriage.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.registry.testing.HostileAvroBodies;
import org.lesiontriage.registry.testing.InMemorySchemaRegistry;

/**
 * No body can make the deserializer allocate more than its own size: every declared length, count and index is
 * checked against the record before Avro's decoder, which allocates what it is told, reads it.
 */
@Tag("unit")
class AvroBodyBoundsTest {

    private static final String REGISTRY = "avro-body-bounds";
    private static final String SUBJECT = "lesion-images-value";
    /** Far below what any lie in the corpus asks for (a gigabyte and more), far above an honest small record. */
    private static final long ALLOCATION_CEILING = 4L << 20;

    private final SpecificAvroDeserializer<LesionImageEvent> deserializer = deserializer();

    static Stream<HostileAvroBodies.Body> hostileBodies() {
        return HostileAvroBodies.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void aBodyThatLiesAboutItsSizesIsRefusedWithoutAllocatingWhatItDeclares(HostileAvroBodies.Body hostile) {
        byte[] record = hostile.framed(registry().register(SUBJECT, hostile.writer()));
        catchThrowable(() -> deserializer.deserialize("lesion-images", record)); // warm: schema fetch, reader, classes
        long before = allocatedBytes();

        Throwable thrown = catchThrowable(() -> deserializer.deserialize("lesion-images", record));

        long allocated = allocatedBytes() - before;
        assertThat(thrown).isInstanceOf(RegistrySerdeException.class)
                .hasFieldOrPropertyWithValue("reason", hostile.expected());
        assertThat(allocated).as("bytes allocated reading a %d-byte record", record.length).isLessThan(ALLOCATION_CEILING);
    }

    @Test
    void honestRecordsOfANewerWriterWithCollectionsStillRead() {
        GenericRecord newer = new GenericData.Record(HostileAvroBodies.WRITER_WITH_COLLECTIONS);
        LesionImageEvent event = SampleRecords.lesionImageEvent();
        GenericRecord current = genericCopy(event);
        event.getSchema().getFields().forEach(f -> newer.put(f.name(), current.get(f.name())));
        newer.put("tags", List.of("a", "bb", "ccc"));
        newer.put("flags", Collections.nCopies(50, null));
        newer.put("attributes", Map.of("lens", "polarised", "site", "back"));
        byte[] record = GenericWire.bytes(registry().register(SUBJECT, HostileAvroBodies.WRITER_WITH_COLLECTIONS), newer);

        assertThat(deserializer.deserialize("lesion-images", record)).isEqualTo(event);
    }

    /**
     * Random corruption of an honest record: whatever a byte becomes, reading it either works or fails with a
     * reason code, never with another exception or an Error, and never allocates far beyond the record.
     */
    @Test
    void everySingleByteCorruptionEndsInARecordOrAReasonCode() {
        LesionImageEvent event = SampleRecords.lesionImageEvent();
        event.setImage(ByteBuffer.wrap(new byte[2048]));
        byte[] honest = new SpecificAvroSerializer<LesionImageEvent>() {{
            configure(Map.of("schema.registry.url", InMemorySchemaRegistry.url(REGISTRY)), false);
        }}.serialize("lesion-images", event);
        Random random = new Random(20261127);
        for (int position = ConfluentWireFormat.HEADER_LENGTH; position < honest.length; position++) {
            for (int trial = 0; trial < 4; trial++) {
                byte[] corrupt = honest.clone();
                corrupt[position] = (byte) random.nextInt(256);
                long before = allocatedBytes();
                Throwable thrown = catchThrowable(() -> deserializer.deserialize("lesion-images", corrupt));
                assertThat(allocatedBytes() - before).as("allocated with byte %d corrupted", position)
                        .isLessThan(ALLOCATION_CEILING);
                if (thrown != null) {
                    assertThat(thrown).as("byte %d corrupted", position).isInstanceOf(RegistrySerdeException.class);
                }
            }
        }
    }

    @Test
    void theCheckAloneRefusesATruncatedNumber() {
        assertThatThrownBy(() -> AvroBodyBounds.require(LesionImageEvent.getClassSchema(), new byte[] {(byte) 0x80}, 0, 1))
                .isInstanceOf(RegistrySerdeException.class).hasMessageContaining("ends inside a number");
    }

    private static GenericRecord genericCopy(LesionImageEvent event) {
        GenericRecord copy = new GenericData.Record(event.getSchema());
        event.getSchema().getFields().forEach(f -> copy.put(f.name(), event.get(f.pos())));
        copy.put("event_id", event.getEventId().toString());
        copy.put("captured_at", event.getCapturedAt().toEpochMilli());
        copy.put("modality", new GenericData.EnumSymbol(event.getSchema().getField("modality").schema(),
                event.getModality().name()));
        return copy;
    }

    private static InMemorySchemaRegistry registry() {
        return InMemorySchemaRegistry.named(REGISTRY);
    }

    private static SpecificAvroDeserializer<LesionImageEvent> deserializer() {
        var deserializer = new SpecificAvroDeserializer<>(LesionImageEvent.class);
        deserializer.configure(Map.of("schema.registry.url", InMemorySchemaRegistry.url(REGISTRY)), false);
        return deserializer;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
