package org.lesiontriage.clinictools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.common.labels.Label;
import org.lesiontriage.testfixtures.SyntheticLesions;

@Tag("unit")
class SyntheticImagesTest {

    @Test
    void syntheticImagesAreDecodableDeterministicJpegs() throws Exception {
        SyntheticImages synthetic = new SyntheticImages(2);
        LesionImage first = synthetic.load(0);
        assertThat(first.fileName()).isEqualTo("synthetic-00001.jpg");
        assertThat(first.label()).isEqualTo(Label.UNKNOWN);
        assertThat(first.bytes()).isEqualTo(synthetic.load(0).bytes()).isNotEqualTo(synthetic.load(1).bytes());
        var decoded = ImageIO.read(new ByteArrayInputStream(first.bytes()));
        assertThat(decoded.getWidth()).isEqualTo(256);
        assertThat(decoded.getHeight()).isEqualTo(256);
    }

    @Test
    void publishesTheProjectsSyntheticLesions() {
        assertThat(new SyntheticImages(3).load(2).bytes()).isEqualTo(SyntheticLesions.jpeg(2));
        assertThat(new SyntheticImages(3).describe()).isEqualTo("3 synthetic images");
    }
}
