package org.lesiontriage.triage.reliability;

import org.lesiontriage.triage.testing.CraftedPngs;
import org.lesiontriage.testfixtures.SyntheticLesions;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Generates the hostile and unusual image files of the corpus in memory: nothing is checked in. */
final class HostileImages {

    private HostileImages() {
    }

    /** A lesion-like RGB picture: skin tone with a dark ellipse, so the model sees something plausible. */
    static BufferedImage lesion(int width, int height, int type, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200 + random.nextInt(40), 150 + random.nextInt(40), 120 + random.nextInt(40)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(60 + random.nextInt(80), 30 + random.nextInt(50), 20 + random.nextInt(40)));
        g.fillOval(width / 4, height / 4, Math.max(1, width / 2), Math.max(1, height / 2));
        g.dispose();
        return image;
    }

    static byte[] png(BufferedImage image) {
        return SyntheticLesions.encode(image, "png");
    }

    static byte[] jpeg(BufferedImage image) {
        return SyntheticLesions.encode(image, "jpg");
    }

    static byte[] gif(BufferedImage image) {
        return SyntheticLesions.encode(image, "gif");
    }

    /** A 16-bit-per-sample grayscale PNG. */
    static byte[] png16BitGray(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, (x * 997 + y * 31) % 65536);
            }
        }
        return png(image);
    }

    /** A four-component JPEG without an Adobe marker: decoders read it as CMYK. */
    static byte[] cmykJpeg(int side, long seed) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, side, side, 4, null);
        Random random = new Random(seed);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                raster.setPixel(x, y, new int[] {random.nextInt(256), random.nextInt(256), random.nextInt(256), random.nextInt(256)});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A three-frame animated GIF (with the NETSCAPE2.0 loop extension). */
    static byte[] animatedGif(int side) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int frame = 0; frame < 3; frame++) {
                BufferedImage image = lesion(side, side, BufferedImage.TYPE_INT_RGB, frame);
                ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(image);
                IIOMetadata metadata = writer.getDefaultImageMetadata(type, null);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "10");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                IIOMetadataNode apps = new IIOMetadataNode("ApplicationExtensions");
                IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                loop.setAttribute("applicationID", "NETSCAPE");
                loop.setAttribute("authenticationCode", "2.0");
                loop.setUserObject(new byte[] {1, 0, 0});
                apps.appendChild(loop);
                root.appendChild(apps);
                metadata.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(image, null, metadata), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static byte[] svg() {
        return ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"256\" height=\"256\">"
                + "<circle cx=\"128\" cy=\"128\" r=\"64\" fill=\"#503020\"/></svg>").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A decompression bomb: a PNG whose IHDR (with a valid CRC) declares {@code width x height} RGB pixels,
     * followed by a tiny IDAT. A decoder that trusted the header would allocate width*height*3 bytes.
     */
    static byte[] pngBomb(int width, int height) {
        return CraftedPngs.withHeader(width, height, new byte[] {0x78, (byte) 0x9C, 0x63, 0, 0, 0, 1, 0, 1});
    }

    /** A valid PNG header (IHDR {@code side x side}) whose IDAT is not a zlib stream. */
    static byte[] pngCorruptIdat(int side, long seed) {
        return CraftedPngs.withHeader(side, side, random(512, seed));
    }

    /** A real JPEG whose SOF0 frame header is patched to declare {@code width x height}. */
    static byte[] jpegWithDeclaredSize(byte[] jpeg, int width, int height) {
        byte[] patched = Arrays.copyOf(jpeg, jpeg.length);
        for (int i = 2; i + 8 < patched.length; i++) {
            if ((patched[i] & 0xFF) == 0xFF && (patched[i + 1] & 0xFF) == 0xC0) {
                patched[i + 5] = (byte) (height >> 8);
                patched[i + 6] = (byte) height;
                patched[i + 7] = (byte) (width >> 8);
                patched[i + 8] = (byte) width;
                return patched;
            }
        }
        throw new IllegalStateException("no SOF0 marker");
    }

    static byte[] truncated(byte[] bytes, double fraction) {
        return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
    }

    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
