package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ReasonCode;

@Tag("unit")
class ImageGuardsTest {

    private final ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), 128, 128);
    private static final byte[] JPEG = TestImages.jpeg(TestImages.noise(64, 48, 1));
    private static final byte[] PNG = TestImages.png(TestImages.noise(64, 48, 2));

    private static ImageRejectedException rejected(ImagePreprocessor preprocessor, byte[] bytes, String mediaType) {
        try {
            preprocessor.preprocess(bytes, mediaType);
        } catch (ImageRejectedException e) {
            return e;
        }
        return null;
    }

    private ReasonCode rejection(byte[] bytes, String mediaType) {
        ImageRejectedException e = rejected(preprocessor, bytes, mediaType);
        assertThat(e).as("expected a rejection").isNotNull();
        assertThat(e.getMessage()).isNotBlank();
        return e.reason();
    }

    @Test
    void validImagesPass() {
        assertThatCode(() -> preprocessor.preprocess(JPEG, "image/jpeg")).doesNotThrowAnyException();
        assertThatCode(() -> preprocessor.preprocess(PNG, "IMAGE/PNG; charset=binary")).doesNotThrowAnyException();
    }

    @Test
    void emptyBytes() {
        assertThat(rejection(null, "image/jpeg")).isEqualTo(ReasonCode.IMAGE_EMPTY);
        assertThat(rejection(new byte[0], "image/png")).isEqualTo(ReasonCode.IMAGE_EMPTY);
    }

    @Test
    void tooManyBytes() {
        ImagePreprocessor small = new ImagePreprocessor(new ImageLimits(100, 40_000_000, 16), 128, 128);
        ImageRejectedException e = rejected(small, JPEG, "image/jpeg");
        assertThat(e.reason()).isEqualTo(ReasonCode.IMAGE_TOO_LARGE);
        assertThat(e.getMessage()).contains("100");
    }

    @Test
    void unsupportedMediaTypes() {
        byte[] gif = "GIF89a\1\0\1\0\0\0\0;".getBytes(StandardCharsets.ISO_8859_1);
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>".getBytes(StandardCharsets.UTF_8);
        assertThat(rejection(gif, "image/gif")).isEqualTo(ReasonCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(rejection(svg, "image/svg+xml")).isEqualTo(ReasonCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(rejection(JPEG, "image/webp")).isEqualTo(ReasonCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(rejection(JPEG, null)).isEqualTo(ReasonCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(rejection(JPEG, "")).isEqualTo(ReasonCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void declaredTypeMustMatchTheMagicNumber() {
        assertThat(rejection(PNG, "image/jpeg")).isEqualTo(ReasonCode.MEDIA_TYPE_MISMATCH);
        assertThat(rejection(JPEG, "image/png")).isEqualTo(ReasonCode.MEDIA_TYPE_MISMATCH);
        byte[] gif = "GIF89a\1\0\1\0\0\0\0;".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(rejection(gif, "image/png")).isEqualTo(ReasonCode.MEDIA_TYPE_MISMATCH);
        byte[] svg = "<svg/>".getBytes(StandardCharsets.UTF_8);
        assertThat(rejection(svg, "image/jpeg")).isEqualTo(ReasonCode.MEDIA_TYPE_MISMATCH);
    }

    @Test
    void randomBytes() {
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        random[0] = 0x12;
        assertThat(rejection(random, "image/jpeg")).isEqualTo(ReasonCode.MEDIA_TYPE_MISMATCH);
        assertThat(rejection(random, "application/octet-stream")).isEqualTo(ReasonCode.UNSUPPORTED_MEDIA_TYPE);
        // Right magic number, noise after it.
        byte[] fakeJpeg = random.clone();
        fakeJpeg[0] = (byte) 0xFF;
        fakeJpeg[1] = (byte) 0xD8;
        fakeJpeg[2] = (byte) 0xFF;
        assertThat(rejection(fakeJpeg, "image/jpeg")).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
        byte[] fakePng = random.clone();
        System.arraycopy(PNG, 0, fakePng, 0, 8);
        assertThat(rejection(fakePng, "image/png")).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
    }

    @Test
    void truncatedImages() {
        assertThat(rejection(Arrays.copyOf(JPEG, JPEG.length / 2), "image/jpeg")).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
        assertThat(rejection(Arrays.copyOf(JPEG, JPEG.length - 2), "image/jpeg")).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
        assertThat(rejection(Arrays.copyOf(PNG, PNG.length / 2), "image/png")).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
        assertThat(rejection(Arrays.copyOf(PNG, 20), "image/png")).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
        assertThat(rejection(Arrays.copyOf(JPEG, 3), "image/jpeg")).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
    }

    @Test
    void corruptedJpegBody() {
        byte[] corrupt = JPEG.clone();
        Random random = new Random(3);
        for (int i = corrupt.length / 2; i < corrupt.length - 2; i++) {
            corrupt[i] = (byte) random.nextInt(256);
        }
        assertThat(rejection(corrupt, "image/jpeg")).isEqualTo(ReasonCode.IMAGE_UNDECODABLE);
    }

    @Test
    void declaredHugeDimensionsAreRejectedFromTheHeader() {
        byte[] bomb = TestImages.pngHeaderOnly(100_000, 100_000);
        assertThat(bomb.length).isLessThan(100);
        long before = usedMemory();
        ImageRejectedException e = rejected(preprocessor, bomb, "image/png");
        assertThat(e.reason()).isEqualTo(ReasonCode.IMAGE_TOO_MANY_PIXELS);
        assertThat(e.getMessage()).contains("100000x100000");
        // A decoded raster would need 30 GB; allow plenty of slack for unrelated allocation.
        assertThat(usedMemory() - before).isLessThan(256L * 1024 * 1024);
    }

    @Test
    void tooSmall() {
        byte[] tiny = TestImages.png(TestImages.noise(8, 8, 4));
        assertThat(rejection(tiny, "image/png")).isEqualTo(ReasonCode.IMAGE_TOO_SMALL);
        byte[] thin = TestImages.jpeg(TestImages.noise(400, 15, 5));
        assertThat(rejection(thin, "image/jpeg")).isEqualTo(ReasonCode.IMAGE_TOO_SMALL);
    }

    @Test
    void fourComponentJpegWithoutAnAdobeMarkerIsAnUnsupportedColourModel() {
        // Four components and no Adobe marker: CMYK, but whether inverted or not is a guess.
        WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 32, 32, 4, null);
        Random random = new Random(9);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                raster.setPixel(x, y, new int[] {random.nextInt(256), random.nextInt(256), random.nextInt(256), random.nextInt(256)});
            }
        }
        byte[] cmyk = TestImages.jpegRaster(raster);
        assertThat(rejection(cmyk, "image/jpeg")).isEqualTo(ReasonCode.IMAGE_UNSUPPORTED_COLOR);
        // The same with an Adobe marker, as Photoshop writes them, plain CMYK or YCCK: decoded (AdobeJpegTest).
        assertThatCode(() -> preprocessor.preprocess(TestImages.withAdobeTransform(cmyk, 0), "image/jpeg")).doesNotThrowAnyException();
        assertThatCode(() -> preprocessor.preprocess(TestImages.withAdobeTransform(cmyk, 2), "image/jpeg")).doesNotThrowAnyException();
    }

    private static long usedMemory() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
