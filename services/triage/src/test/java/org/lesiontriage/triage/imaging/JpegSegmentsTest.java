package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JpegSegmentsTest {

    @Test
    void visitsTheSegmentsWithALengthUpToTheFirstScan() {
        byte[] jpeg = bytes(
                0xFF, 0xD8,                         // SOI
                0xFF,                               // fill byte
                0xFF, 0xE1, 0x00, 0x04, 'a', 'b',   // APP1, two bytes of payload at 7..9
                0xFF, 0xD0,                         // RST0: no length
                0xFF, 0xEE, 0x00, 0x02,             // APP14, empty
                0xFF, 0xDA, 0x00, 0x02,             // start of scan: the header is over
                0xFF, 0xE2, 0x00, 0x02,
                0xFF, 0xD9);
        assertThat(segments(jpeg)).containsExactly("E1 7..9", "EE 15..15");
    }

    @Test
    void stopsQuietlyAtAnythingMalformed() {
        // A length that runs past the end, a length below 2, a byte where a marker should be, SOI alone.
        assertThat(segments(bytes(0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'a'))).isEmpty();
        assertThat(segments(bytes(0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01, 'a', 'b'))).isEmpty();
        assertThat(segments(bytes(0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x02, 0x12, 0xFF, 0xE2, 0x00, 0x02))).containsExactly("E1 6..6");
        assertThat(segments(bytes(0xFF, 0xD8))).isEmpty();
    }

    @Test
    void aRealJpegShowsItsTablesAndFrame() {
        List<String> markers = new ArrayList<>();
        JpegSegments.walk(TestImages.jpeg(TestImages.noise(16, 16, 1)), (marker, payload, end) -> markers.add(Integer.toHexString(marker)));
        assertThat(markers).contains("e0", "db", "c0", "c4").doesNotContain("da");
    }

    private static List<String> segments(byte[] jpeg) {
        List<String> seen = new ArrayList<>();
        JpegSegments.walk(jpeg, (marker, payload, end) -> seen.add(Integer.toHexString(marker).toUpperCase() + " " + payload + ".." + end));
        return seen;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
