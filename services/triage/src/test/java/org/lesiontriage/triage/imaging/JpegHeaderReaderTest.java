package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ImageMediaType;

@Tag("unit")
class JpegHeaderReaderTest {

    private static final byte[] PLAIN = TestImages.jpeg(TestImages.noise(32, 24, 3));

    @Test
    void aPlainJpegHasThreeComponentsNoAdobeMarkerAndNoTransform() {
        ImageHeader header = JpegHeaderReader.read(PLAIN);
        assertThat(header).isEqualTo(new ImageHeader(ImageMediaType.JPEG, 1, 3, ImageHeader.NO_ADOBE_MARKER));
        assertThat(header.isAdobeCmykOrYcck()).isFalse();
    }

    @Test
    void oneWalkGivesTheExifOrientationAndTheAdobeMarker() {
        byte[] jpeg = TestImages.withExifOrientation(TestImages.withAdobeTransform(PLAIN, 2), 6, false);
        ImageHeader header = JpegHeaderReader.read(jpeg);
        assertThat(header.orientation()).isEqualTo(6);
        assertThat(header.adobeTransform()).isEqualTo(2);
        // Three components: YCbCr whatever the marker says, so the JDK's reader decodes it.
        assertThat(header.components()).isEqualTo(3);
        assertThat(header.isAdobeCmykOrYcck()).isFalse();
    }

    @Test
    void adobeCmykAndYcckFilesWithAnOrientation() {
        ImageHeader cmyk = JpegHeaderReader.read(TestImages.withExifOrientation(AdobeJpegTest.resource("cmyk.jpg"), 3, true));
        assertThat(cmyk).isEqualTo(new ImageHeader(ImageMediaType.JPEG, 3, 4, 0));
        assertThat(cmyk.isAdobeCmykOrYcck()).isTrue();
        ImageHeader ycck = JpegHeaderReader.read(TestImages.withXmp(AdobeJpegTest.resource("ycck.jpg"), TestImages.xmpWithOrientation(8)));
        assertThat(ycck).isEqualTo(new ImageHeader(ImageMediaType.JPEG, 8, 4, 2));
        assertThat(ycck.isAdobeCmykOrYcck()).isTrue();
    }

    @Test
    void fourComponentsWithoutAnAdobeMarkerAreNotAdobeCmyk() {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        Random random = new Random(4);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                raster.setPixel(x, y, new int[] {random.nextInt(256), random.nextInt(256), random.nextInt(256), random.nextInt(256)});
            }
        }
        ImageHeader header = JpegHeaderReader.read(TestImages.jpegRaster(raster));
        assertThat(header.components()).isEqualTo(4);
        assertThat(header.adobeTransform()).isEqualTo(ImageHeader.NO_ADOBE_MARKER);
        assertThat(header.isAdobeCmykOrYcck()).isFalse();
    }

    @Test
    void segmentsAfterTheFirstScanAreNotRead() {
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(PLAIN, 0, PLAIN.length - 2);
        out.writeBytes(adobe);
        out.write(0xFF);
        out.write(0xD9);
        assertThat(JpegHeaderReader.read(out.toByteArray()).adobeTransform()).isEqualTo(ImageHeader.NO_ADOBE_MARKER);
    }

    @Test
    void aMalformedHeaderGivesWhatWasReadBeforeTheDamageAndNeverThrows() {
        byte[] cutInsideExif = Arrays.copyOf(TestImages.withExifOrientation(TestImages.withAdobeTransform(PLAIN, 0), 6, false), 20);
        assertThat(JpegHeaderReader.read(cutInsideExif)).isEqualTo(new ImageHeader(ImageMediaType.JPEG, 1, 0, ImageHeader.NO_ADOBE_MARKER));
        byte[] cutAfterTheMarker = Arrays.copyOf(TestImages.withAdobeTransform(PLAIN, 0), 2 + 16 + 4);
        assertThat(JpegHeaderReader.read(cutAfterTheMarker).adobeTransform()).isEqualTo(0);
        assertThat(JpegHeaderReader.read(new byte[] {(byte) 0xFF, (byte) 0xD8}).orientation()).isEqualTo(1);
    }
}
