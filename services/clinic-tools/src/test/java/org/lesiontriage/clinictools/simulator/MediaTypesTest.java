package org.lesiontriage.clinictools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.testfixtures.SyntheticLesions;

@Tag("unit")
class MediaTypesTest {

    @Test
    void sniffsTheBytesNotTheName() {
        assertThat(MediaTypes.sniff(SyntheticLesions.jpeg(1))).isEqualTo("image/jpeg");
        assertThat(MediaTypes.sniff(SyntheticLesions.png(1))).isEqualTo("image/png");
        assertThat(MediaTypes.sniff("GIF89a....".getBytes())).isEqualTo("application/octet-stream");
        assertThat(MediaTypes.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8})).isEqualTo("application/octet-stream");
        assertThat(MediaTypes.sniff(new byte[0])).isEqualTo("application/octet-stream");
    }
}
