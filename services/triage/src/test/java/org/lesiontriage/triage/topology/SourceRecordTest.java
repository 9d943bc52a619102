package org.lesiontriage.triage.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SourceRecordTest {

    @Test
    void roundTripsThroughItsStoreSerdeIncludingNullKeyAndValue() {
        var serde = SourceRecord.serde();
        SourceRecord full = new SourceRecord("lesion-images", 2, 41L, 1_700_000_000_000L, 1_700_000_000_123L,
                new byte[] {1, 2}, new byte[] {0, 9, 8, 7});
        SourceRecord empty = new SourceRecord("t", 0, 0L, 0L, 0L, null, null);

        for (SourceRecord record : new SourceRecord[] {full, empty}) {
            SourceRecord back = serde.deserializer().deserialize("store", serde.serializer().serialize("store", record));
            assertThat(back).usingRecursiveComparison().isEqualTo(record);
        }
    }
}
