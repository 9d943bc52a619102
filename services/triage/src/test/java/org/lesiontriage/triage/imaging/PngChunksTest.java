package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.triage.testing.CraftedPngs;

/** The PNG here: signature (8 bytes), IHDR at 8 (13 data bytes), IDAT at 33 (8 data bytes), IEND at 53; 65 bytes. */
@Tag("unit")
class PngChunksTest {

    private static final byte[] PNG = CraftedPngs.withHeader(40, 30, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    @Test
    void visitsEveryChunkBeforeIendWithItsData() throws Exception {
        assertThat(PNG).hasSize(65);
        assertThat(chunks(PNG)).containsExactly("IHDR 16..29", "IDAT 41..49");
        byte[] text = TestImages.withPngChunk(PNG, "tEXt", "Comment\0clinic".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(chunks(text)).containsExactly("IHDR 16..29", "tEXt 41..55", "IDAT 67..75");
    }

    @Test
    void bytesAfterIendAreNotRead() throws Exception {
        assertThat(chunks(Arrays.copyOf(PNG, PNG.length + 16))).containsExactly("IHDR 16..29", "IDAT 41..49");
    }

    @Test
    void aChunkThatFailsItsCrcIsCorruptAndEndsTheWalk() {
        List<String> seen = new ArrayList<>();
        byte[] damaged = PNG.clone();
        damaged[41 + 3] ^= 0x5A; // one IDAT data byte
        ImageRejectedException e = catchThrowableOfType(() -> walk(damaged, seen), ImageRejectedException.class);
        assertThat(e.reason()).isEqualTo(ReasonCode.IMAGE_CORRUPT);
        assertThat(e.getMessage()).contains("'IDAT'").contains("at byte 33").contains("CRC");
        assertThat(seen).containsExactly("IHDR 16..29");

        byte[] badCrc = PNG.clone();
        badCrc[PNG.length - 1] ^= 1; // IEND's CRC
        assertThat(catchThrowableOfType(() -> walk(badCrc, new ArrayList<>()), ImageRejectedException.class).reason())
                .isEqualTo(ReasonCode.IMAGE_CORRUPT);
    }

    @Test
    void aStreamThatEndsBeforeIendIsTruncated() {
        ImageRejectedException noIend = catchThrowableOfType(() -> walk(Arrays.copyOf(PNG, 53), new ArrayList<>()), ImageRejectedException.class);
        assertThat(noIend.reason()).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
        assertThat(noIend.getMessage()).startsWith("truncated PNG").contains("without an IEND chunk");

        byte[] longIdat = PNG.clone();
        longIdat[33] = 0x7F; // IDAT declares about 2 GB
        ImageRejectedException tooLong = catchThrowableOfType(() -> walk(longIdat, new ArrayList<>()), ImageRejectedException.class);
        assertThat(tooLong.reason()).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
        assertThat(tooLong.getMessage()).startsWith("truncated PNG").contains("'IDAT' at byte 33");
    }

    private static List<String> chunks(byte[] png) throws ImageRejectedException {
        List<String> seen = new ArrayList<>();
        walk(png, seen);
        return seen;
    }

    private static void walk(byte[] png, List<String> seen) throws ImageRejectedException {
        PngChunks.walk(png, (type, data, end) -> seen.add(type + " " + data + ".." + end));
    }
}
