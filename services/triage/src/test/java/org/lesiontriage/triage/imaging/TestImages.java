package org.lesiontriage.triage.imaging;

import org.lesiontriage.triage.testing.CraftedPngs;
import org.lesiontriage.testfixtures.SyntheticLesions;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Builds encoded test images in memory. */
final class TestImages {

    private TestImages() {
    }

    static byte[] png(BufferedImage image) {
        return SyntheticLesions.encode(image, "png");
    }

    static byte[] jpeg(BufferedImage image) {
        return jpeg(new IIOImage(image, null, null));
    }

    /** JPEG at quality 1.0 so that flat test patterns survive with small error. */
    static byte[] jpeg(IIOImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1.0f);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static byte[] jpegRaster(Raster raster) {
        return jpeg(new IIOImage(raster, null, null));
    }

    /** Inserts an APP1 Exif segment (IFD0 with one Orientation entry) right after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation, boolean bigEndian) {
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] tiff = tiffWithOrientation(orientation, bigEndian);
        byte[] payload = new byte[exif.length + tiff.length];
        System.arraycopy(exif, 0, payload, 0, exif.length);
        System.arraycopy(tiff, 0, payload, exif.length, tiff.length);
        return withApp1(jpeg, payload);
    }

    /** An XMP packet declaring {@code tiff:Orientation} as an attribute. */
    static byte[] xmpWithOrientation(int orientation) {
        return ("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + "<rdf:Description xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\" tiff:Orientation=\"" + orientation + "\"/>"
                + "</rdf:RDF></x:xmpmeta>").getBytes(StandardCharsets.UTF_8);
    }

    /** Inserts an APP1 XMP segment right after SOI. */
    static byte[] withXmp(byte[] jpeg, byte[] xmp) {
        byte[] header = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] payload = new byte[header.length + xmp.length];
        System.arraycopy(header, 0, payload, 0, header.length);
        System.arraycopy(xmp, 0, payload, header.length, xmp.length);
        return withApp1(jpeg, payload);
    }

    /** Inserts a chunk right after IHDR. */
    static byte[] withPngChunk(byte[] png, String type, byte[] data) {
        int afterIhdr = 8 + 8 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        CraftedPngs.chunk(out, type, data);
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    private static byte[] withApp1(byte[] jpeg, byte[] payload) {
        return withSegment(jpeg, 0xE1, payload);
    }

    /** Inserts an Adobe APP14 segment with the given colour transform (0: none/CMYK, 2: YCCK) after SOI. */
    static byte[] withAdobeTransform(byte[] jpeg, int transform) {
        byte[] payload = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        return withSegment(jpeg, 0xEE, payload);
    }

    private static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        int length = 2 + payload.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(marker);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A TIFF structure whose IFD0 holds one Orientation entry (tag 0 gives an IFD without it). */
    static byte[] tiffWithOrientation(int orientation, boolean bigEndian) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        tiff.put(bigEndian ? (byte) 'M' : (byte) 'I').put(bigEndian ? (byte) 'M' : (byte) 'I');
        tiff.putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        int tag = orientation == 0 ? 0x010F : 0x0112; // 0x010F (Make) stands in for "no Orientation tag"
        tiff.putShort((short) tag).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        return tiff.array();
    }

    /** A PNG whose IHDR declares the given size, followed by a tiny garbage IDAT. */
    static byte[] pngHeaderOnly(int width, int height) {
        return CraftedPngs.withHeader(width, height, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }

    /** An RGB image with a different flat colour in each quadrant. */
    static BufferedImage quadrants(int width, int height, int[] topLeft, int[] topRight, int[] bottomLeft, int[] bottomRight) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] c = y < height / 2 ? (x < width / 2 ? topLeft : topRight) : (x < width / 2 ? bottomLeft : bottomRight);
                image.getRaster().setPixel(x, y, c);
            }
        }
        return image;
    }

    /** Pseudo-random RGB noise (hard for JPEG, so files are not tiny). */
    static BufferedImage noise(int width, int height, long seed) {
        java.util.Random random = new java.util.Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setPixel(x, y, new int[] {random.nextInt(256), random.nextInt(256), random.nextInt(256)});
            }
        }
        return image;
    }
}
