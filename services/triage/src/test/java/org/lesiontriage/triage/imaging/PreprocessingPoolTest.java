package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ReasonCode;

@Tag("unit")
class PreprocessingPoolTest {

    private final ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), 32, 32);

    @Test
    void tensorsFromThePoolAreTheOnesTheCallerWouldCompute() throws Exception {
        try (PreprocessingPool pool = new PreprocessingPool(preprocessor, 2, 4)) {
            assertThat(pool.decodesAside()).isTrue();
            List<byte[]> images = new ArrayList<>();
            List<PreprocessingPool.PendingTensor> pending = new ArrayList<>();
            for (int i = 0; i < 20; i++) { // more than threads + queue: the caller decodes some itself
                images.add(TestImages.jpeg(gradient(60 + i, 50, i * 10)));
                pending.add(pool.submit(images.get(i), "image/jpeg"));
            }
            for (int i = 0; i < images.size(); i++) {
                assertThat(pending.get(i).get()).as("image %d", i)
                        .containsExactly(preprocessor.preprocess(images.get(i), "image/jpeg"));
            }
        }
    }

    @Test
    void aRejectionComesBackAsTheRejectionItWas() {
        try (PreprocessingPool pool = new PreprocessingPool(preprocessor, 1, 1)) {
            byte[] truncated = java.util.Arrays.copyOf(TestImages.jpeg(gradient(64, 64, 0)), 300);
            var tensor = pool.submit(truncated, "image/jpeg");
            assertThatThrownBy(tensor::get).isInstanceOfSatisfying(ImageRejectedException.class,
                    e -> assertThat(e.reason()).isEqualTo(ReasonCode.IMAGE_UNDECODABLE));
        }
    }

    @Test
    void exceptionsAndErrorsOnTheDecodingThreadReachTheCallerAsTheyWere() {
        OutOfMemoryError heapTooSmall = new OutOfMemoryError("Java heap space");
        IllegalStateException decoderBug = new IllegalStateException("decoder bug");
        PreprocessingPool.Decoding failing = (bytes, mediaType) -> {
            if (bytes.length == 1) {
                throw heapTooSmall;
            }
            throw decoderBug;
        };
        try (PreprocessingPool pool = new PreprocessingPool(preprocessor, failing, 1, 1)) {
            var error = pool.submit(new byte[1], "image/jpeg");
            var exception = pool.submit(new byte[2], "image/jpeg");
            assertThatThrownBy(error::get).isSameAs(heapTooSmall);
            assertThatThrownBy(exception::get).isSameAs(decoderBug);
        }
    }

    @Test
    void withoutThreadsTheCallerDecodesAtOnce() throws Exception {
        try (PreprocessingPool pool = new PreprocessingPool(preprocessor, 0, 1)) {
            assertThat(pool.decodesAside()).isFalse();
            byte[] image = TestImages.png(gradient(40, 40, 3));
            assertThat(pool.submit(image, "image/png").get()).containsExactly(preprocessor.preprocess(image, "image/png"));
        }
    }

    private static BufferedImage gradient(int width, int height, int shift) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ((x * 4 + shift) & 0xFF) << 16 | ((y * 5) & 0xFF) << 8 | ((x + y + shift) & 0xFF));
            }
        }
        return image;
    }
}
