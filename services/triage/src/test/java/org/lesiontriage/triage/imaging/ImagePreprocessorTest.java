package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ImagePreprocessorTest {

    private final ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), 128, 128);

    @Test
    void tensorLengthIsThreeTimesHeightTimesWidth() {
        assertThat(preprocessor.tensorLength()).isEqualTo(3 * 128 * 128);
        assertThat(new ImagePreprocessor(ImageLimits.defaults(), 10, 20).tensorLength()).isEqualTo(600);
    }

    @Test
    void valuesAreScaledToUnitRangeInChwOrder() throws Exception {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                image.getRaster().setPixel(x, y, new int[] {255, 51, 0});
            }
        }
        float[] t = new ImagePreprocessor(ImageLimits.defaults(), 7, 9).preprocess(TestImages.png(image), "image/png");
        assertThat(t).hasSize(3 * 7 * 9);
        for (int i = 0; i < 63; i++) {
            assertThat(t[i]).isEqualTo(1.0f);
            assertThat(t[63 + i]).isEqualTo((float) (51 / 255.0));
            assertThat(t[126 + i]).isEqualTo(0.0f);
        }
    }

    @Test
    void writesAtTheBufferPositionAndAdvancesIt() throws Exception {
        byte[] png = TestImages.png(TestImages.noise(50, 40, 11));
        float[] expected = preprocessor.preprocess(png, "image/png");

        int n = preprocessor.tensorLength();
        FloatBuffer direct = ByteBuffer.allocateDirect(4 * (2 * n + 5)).order(ByteOrder.nativeOrder()).asFloatBuffer();
        direct.position(5);
        preprocessor.preprocessInto(png, "image/png", direct);
        assertThat(direct.position()).isEqualTo(5 + n);
        preprocessor.preprocessInto(png, "image/png", direct);
        assertThat(direct.position()).isEqualTo(5 + 2 * n);

        float[] first = new float[n];
        float[] second = new float[n];
        direct.position(5);
        direct.get(first).get(second);
        assertThat(first).containsExactly(expected);
        assertThat(second).containsExactly(expected);
        assertThat(direct.get(0)).isZero();
    }

    @Test
    void rejectedImagesLeaveTheBufferUntouched() {
        FloatBuffer buffer = FloatBuffer.allocate(preprocessor.tensorLength());
        assertThatThrownBy(() -> preprocessor.preprocessInto(new byte[] {1, 2, 3}, "image/png", buffer))
                .isInstanceOf(ImageRejectedException.class);
        assertThat(buffer.position()).isZero();
    }

    @Test
    void tooSmallBufferIsAProgrammingError() {
        FloatBuffer buffer = FloatBuffer.allocate(preprocessor.tensorLength() - 1);
        assertThatThrownBy(() -> preprocessor.preprocessInto(new byte[] {1}, "image/png", buffer))
                .isInstanceOf(BufferOverflowException.class);
    }

    @Test
    void concurrentCallsGiveTheSameResults() throws Exception {
        List<byte[]> images = List.of(
                TestImages.jpeg(TestImages.noise(300, 200, 21)),
                TestImages.png(TestImages.noise(97, 131, 22)),
                TestImages.withExifOrientation(TestImages.jpeg(TestImages.noise(160, 90, 23)), 6, false));
        List<String> types = List.of("image/jpeg", "image/png", "image/jpeg");
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            expected.add(preprocessor.preprocess(images.get(i), types.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int task = 0; task < 36; task++) {
                int k = task % images.size();
                results.add(pool.submit(() -> java.util.Arrays.equals(preprocessor.preprocess(images.get(k), types.get(k)), expected.get(k))));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void largePhotoIsFastEnough() throws Exception {
        // Noise compresses badly at quality 1.0, hence the larger byte limit.
        byte[] jpeg = TestImages.jpeg(TestImages.noise(4000, 3000, 31));
        ImagePreprocessor roomy = new ImagePreprocessor(new ImageLimits(64L << 20, 40_000_000, 16), 128, 128);
        roomy.preprocess(jpeg, "image/jpeg");
        long start = System.nanoTime();
        float[] t = roomy.preprocess(jpeg, "image/jpeg");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(t).hasSize(roomy.tensorLength());
        // Generous bound for shared CI machines; typically well under a second.
        assertThat(millis).as("milliseconds for 4000x3000").isLessThan(10_000);
    }
}
