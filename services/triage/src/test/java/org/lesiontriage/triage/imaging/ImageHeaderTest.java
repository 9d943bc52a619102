package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ImageMediaType;
import org.lesiontriage.contracts.ReasonCode;

/** The header is read once per image, and the decoder and the orientation step ask it rather than the bytes. */
@Tag("unit")
class ImageHeaderTest {

    private static final byte[] CMYK = AdobeJpegTest.resource("cmyk.jpg");
    private static final byte[] PNG = TestImages.png(TestImages.noise(48, 32, 8));

    @Test
    void readsByFormat() throws Exception {
        assertThat(ImageHeader.read(CMYK, ImageMediaType.JPEG)).isEqualTo(new ImageHeader(ImageMediaType.JPEG, 1, 4, 0));
        assertThat(ImageHeader.read(PNG, ImageMediaType.PNG)).isEqualTo(new ImageHeader(ImageMediaType.PNG, 1, 0, ImageHeader.NO_ADOBE_MARKER));
    }

    @Test
    void theHeaderIsReadOncePerImage() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), 32, 32, (bytes, format) -> {
            reads.incrementAndGet();
            return ImageHeader.read(bytes, format);
        });
        preprocessor.preprocess(TestImages.withExifOrientation(CMYK, 6, false), "image/jpeg");
        assertThat(reads).hasValue(1);
        preprocessor.preprocess(TestImages.withPngChunk(PNG, "eXIf", TestImages.tiffWithOrientation(6, true)), "image/png");
        assertThat(reads).hasValue(2);
        // A bad envelope is rejected before the header is read.
        catchThrowableOfType(() -> preprocessor.preprocess(PNG, "image/jpeg"), ImageRejectedException.class);
        assertThat(reads).hasValue(2);
    }

    @Test
    void theDecoderChoosesItsReaderFromTheHeader() throws Exception {
        ImageLimits limits = ImageLimits.defaults();
        assertThat(new ImagePreprocessor(limits, 32, 32).preprocess(CMYK, "image/jpeg")).hasSize(3 * 32 * 32);
        // The same bytes with a header that reports no Adobe marker go to the JDK's reader: no RGB from its CMYK.
        ImagePreprocessor toldNoMarker = new ImagePreprocessor(limits, 32, 32,
                (bytes, format) -> new ImageHeader(format, 1, 4, ImageHeader.NO_ADOBE_MARKER));
        ImageRejectedException e = catchThrowableOfType(() -> toldNoMarker.preprocess(CMYK, "image/jpeg"), ImageRejectedException.class);
        assertThat(e.reason()).isEqualTo(ReasonCode.IMAGE_UNSUPPORTED_COLOR);
    }

    @Test
    void theOrientationComesFromTheHeader() throws Exception {
        byte[] stored = TestImages.jpeg(TestImages.noise(40, 24, 9));
        float[] fromExif = new ImagePreprocessor(ImageLimits.defaults(), 20, 12).preprocess(TestImages.withExifOrientation(stored, 6, false), "image/jpeg");
        ImagePreprocessor toldSix = new ImagePreprocessor(ImageLimits.defaults(), 20, 12,
                (bytes, format) -> new ImageHeader(format, 6, 3, ImageHeader.NO_ADOBE_MARKER));
        assertThat(toldSix.preprocess(stored, "image/jpeg")).containsExactly(fromExif);
    }
}
