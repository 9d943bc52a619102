package org.lesiontriage.dashboard.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.testfixtures.SyntheticLesions;

@Tag("unit")
class ThumbnailerTest {

    @Test
    void scalesTheLongerSideToTheThumbnailSizeKeepingTheAspect() throws IOException {
        Thumbnail thumb = new Thumbnailer(160, 40_000_000).scale(SyntheticLesions.png(600, 400, 7));

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumb.bytes()));
        assertThat(thumb.mediaType()).isEqualTo("image/jpeg");
        assertThat(image.getWidth()).isEqualTo(160);
        assertThat(image.getHeight()).isEqualTo(107);
    }

    @Test
    void neverEnlargesASmallImage() throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                new Thumbnailer(160, 40_000_000).scale(SyntheticLesions.jpeg(64, 48, 3)).bytes()));
        assertThat(image.getWidth()).isEqualTo(64);
    }

    @Test
    void refusesAnImageDeclaringMorePixelsThanAllowedAndBytesThatAreNoImage() {
        Thumbnailer small = new Thumbnailer(160, 1_000);
        assertThatThrownBy(() -> small.scale(SyntheticLesions.png(100, 100, 1))).hasMessageContaining("pixels");
        assertThatThrownBy(() -> small.scale(new byte[] {1, 2, 3})).isInstanceOf(IOException.class);
    }
}
