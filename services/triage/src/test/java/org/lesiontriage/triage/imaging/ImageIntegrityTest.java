package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ReasonCode;

/**
 * Corrupt data gets no triage result. javax.imageio checks no PNG CRC, so each PNG here decoded (to wrong colours, a
 * wrong orientation or from a damaged file) before the service checked every chunk's CRC and the IEND.
 */
@Tag("unit")
class ImageIntegrityTest {

    private final ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), 128, 128);
    private static final byte[] PNG = TestImages.png(TestImages.noise(64, 48, 2));

    @Test
    void aDamagedPaletteIsCorrupt() {
        BufferedImage indexed = new BufferedImage(48, 32, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(TestImages.noise(48, 32, 5), 0, 0, null);
        byte[] png = TestImages.png(indexed);
        assertDecodes(png);
        // One palette entry changed in transit: other colours, same pixels' indices.
        assertThat(rejection(damaged(png, "PLTE", 8 + 10))).isEqualTo(ReasonCode.IMAGE_CORRUPT);
    }

    @Test
    void aDamagedExifChunkIsCorrupt() {
        byte[] exif6 = TestImages.withPngChunk(PNG, "eXIf", TestImages.tiffWithOrientation(6, true));
        assertDecodes(exif6);
        // The orientation value's byte, 6 -> 3: the image would have been turned the wrong way.
        int chunk = chunkOffset(exif6, "eXIf");
        byte[] turned = exif6.clone();
        turned[chunk + 8 + 8 + 2 + 8 + 1] = 3;
        assertThat(rejection(turned)).isEqualTo(ReasonCode.IMAGE_CORRUPT);
    }

    @Test
    void aDamagedCrcIsCorruptEvenWhenTheDataIsIntact() {
        int idat = chunkOffset(PNG, "IDAT");
        int length = (int) u32(PNG, idat);
        assertThat(rejection(damaged(PNG, "IDAT", 8 + length))).isEqualTo(ReasonCode.IMAGE_CORRUPT);
        assertThat(rejection(damaged(PNG, "IEND", 8))).isEqualTo(ReasonCode.IMAGE_CORRUPT);
        assertThat(rejection(damaged(PNG, "IHDR", 8 + 13))).isEqualTo(ReasonCode.IMAGE_CORRUPT);
    }

    @Test
    void aFlippedBitInTheImageDataIsCorrupt() {
        // Before: the inflater failed on it, a generic IMAGE_UNDECODABLE; the chunk's CRC names the cause.
        int idat = chunkOffset(PNG, "IDAT");
        int length = (int) u32(PNG, idat);
        ImageRejectedException e = rejected(damaged(PNG, "IDAT", 8 + length / 2));
        assertThat(e.reason()).isEqualTo(ReasonCode.IMAGE_CORRUPT);
        assertThat(e.getMessage()).contains("'IDAT'").contains("CRC");
    }

    @Test
    void aPngCutBeforeItsIendIsTruncated() {
        int iend = chunkOffset(PNG, "IEND");
        byte[] withoutIend = Arrays.copyOf(PNG, iend);
        ImageRejectedException e = rejected(withoutIend);
        assertThat(e.reason()).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
        assertThat(e.getMessage()).contains("truncated PNG");
    }

    @Test
    void intactPngsStillDecode() {
        assertDecodes(PNG);
        // Ancillary chunks with good CRCs, and bytes after IEND (some tools append them), change nothing.
        byte[] text = TestImages.withPngChunk(PNG, "tEXt", "Comment\0clinic".getBytes(StandardCharsets.ISO_8859_1));
        assertDecodes(text);
        byte[] trailing = Arrays.copyOf(PNG, PNG.length + 16);
        assertDecodes(trailing);
    }

    /** The PNG with one byte of chunk {@code type} flipped, {@code offset} bytes after the chunk's start. */
    private static byte[] damaged(byte[] png, String type, int offset) {
        byte[] copy = png.clone();
        copy[chunkOffset(png, type) + offset] ^= 0x5A;
        return copy;
    }

    private static int chunkOffset(byte[] png, String type) {
        int pos = 8;
        while (pos + 8 <= png.length) {
            if (new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                return pos;
            }
            pos += 12 + (int) u32(png, pos);
        }
        throw new IllegalArgumentException("no " + type + " chunk");
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private void assertDecodes(byte[] png) {
        assertThatCode(() -> preprocessor.preprocess(png, "image/png")).doesNotThrowAnyException();
    }

    private ImageRejectedException rejected(byte[] png) {
        try {
            preprocessor.preprocess(png, "image/png");
        } catch (ImageRejectedException e) {
            return e;
        }
        throw new AssertionError("expected a rejection");
    }

    private ReasonCode rejection(byte[] png) {
        return rejected(png).reason();
    }
}
