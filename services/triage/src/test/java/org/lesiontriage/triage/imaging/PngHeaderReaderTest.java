package org.lesiontriage.triage.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ImageMediaType;
import org.lesiontriage.contracts.ReasonCode;

@Tag("unit")
class PngHeaderReaderTest {

    private static final byte[] PNG = TestImages.png(TestImages.noise(24, 16, 6));

    @Test
    void aPlainPngHasNoOrientationAndNoJpegFacts() throws Exception {
        ImageHeader header = PngHeaderReader.read(PNG);
        assertThat(header).isEqualTo(new ImageHeader(ImageMediaType.PNG, 1, 0, ImageHeader.NO_ADOBE_MARKER));
        assertThat(header.isAdobeCmykOrYcck()).isFalse();
    }

    @Test
    void theOrientationComesFromTheEXifChunk() throws Exception {
        byte[] png = TestImages.withPngChunk(PNG, "eXIf", TestImages.tiffWithOrientation(6, false));
        assertThat(PngHeaderReader.read(png).orientation()).isEqualTo(6);
    }

    @Test
    void orFromAnImageMagickRawProfileOrCompressedXmp() throws Exception {
        byte[] exif = concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), TestImages.tiffWithOrientation(3, true));
        String profile = "\nexif\n" + exif.length + "\n" + HexFormat.of().formatHex(exif) + "\n";
        byte[] raw = TestImages.withPngChunk(PNG, "tEXt", ("Raw profile type exif\0" + profile).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(PngHeaderReader.read(raw).orientation()).isEqualTo(3);
        // An eXIf chunk wins over the raw profile, wherever it is.
        byte[] both = TestImages.withPngChunk(raw, "eXIf", TestImages.tiffWithOrientation(5, false));
        assertThat(PngHeaderReader.read(both).orientation()).isEqualTo(5);

        byte[] ztxt = concat("XML:com.adobe.xmp\0\0".getBytes(StandardCharsets.ISO_8859_1), deflate(TestImages.xmpWithOrientation(7)));
        assertThat(PngHeaderReader.read(TestImages.withPngChunk(PNG, "zTXt", ztxt)).orientation()).isEqualTo(7);
    }

    @Test
    void aBadCrcIsCorruptEvenInTheMetadataThatWouldHaveTurnedTheImage() {
        byte[] png = TestImages.withPngChunk(PNG, "eXIf", TestImages.tiffWithOrientation(6, true));
        int eXIfData = 8 + 25 + 8;
        png[eXIfData + 8 + 2 + 8 + 1] = 3; // the orientation value, 6 -> 3
        ImageRejectedException e = catchThrowableOfType(() -> PngHeaderReader.read(png), ImageRejectedException.class);
        assertThat(e.reason()).isEqualTo(ReasonCode.IMAGE_CORRUPT);
        assertThat(e.getMessage()).contains("'eXIf'");
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
