package org.lesiontriage.testfixtures;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SyntheticLesionsTest {

    @Test
    void theSameSeedDrawsTheSameBytesAndAnotherSeedOthers() {
        assertThat(SyntheticLesions.jpeg(7)).isEqualTo(SyntheticLesions.jpeg(7)).isNotEqualTo(SyntheticLesions.jpeg(8));
        assertThat(SyntheticLesions.png(7)).isEqualTo(SyntheticLesions.png(7));
    }

    @Test
    void encodesDecodableImagesOfTheAskedSize() throws Exception {
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(SyntheticLesions.jpeg(1)));
        assertThat(jpeg.getWidth()).isEqualTo(256);
        assertThat(jpeg.getHeight()).isEqualTo(256);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(SyntheticLesions.png(64, 48, 1)));
        assertThat(png.getWidth()).isEqualTo(64);
        assertThat(png.getHeight()).isEqualTo(48);
        assertThat(SyntheticLesions.png(1)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(SyntheticLesions.jpeg(1)).startsWith((byte) 0xFF, (byte) 0xD8);
    }
}
