package org.lesiontriage.testfixtures;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Lesion-like JPEGs and PNGs drawn in memory (a brown irregular blob on skin-coloured noise, 256x256 like the ISIC
 * images), for exercising the pipeline without data: the tests of every module, the benchmarks and the clinic
 * simulator's {@code --synthetic} mode draw them. They look nothing like real lesions to the model: their triage
 * means nothing, and their label is unknown.
 */
public final class SyntheticLesions {

    private static final int SIZE = 256;

    private SyntheticLesions() {
    }

    /** A deterministic 256x256 image for a seed: the same seed always gives the same bytes. */
    public static byte[] jpeg(long seed) {
        return jpeg(SIZE, SIZE, seed);
    }

    /** The same drawing as a PNG, for tests of the media type. */
    public static byte[] png(long seed) {
        return png(SIZE, SIZE, seed);
    }

    public static byte[] jpeg(int width, int height, long seed) {
        return encode(draw(width, height, seed), "jpg");
    }

    public static byte[] png(int width, int height, long seed) {
        return encode(draw(width, height, seed), "png");
    }

    /**
     * The one synthetic lesion of the project (simulator, benchmarks and tests draw it): skin-coloured noise with a
     * layered irregular blob, scaled to the image.
     */
    public static BufferedImage draw(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int skinR = 200 + random.nextInt(40);
        int skinG = 150 + random.nextInt(30);
        int skinB = 120 + random.nextInt(30);
        int[] pixels = new int[width * height]; // filled as one array: per-pixel setRGB is ten times slower
        for (int i = 0; i < pixels.length; i++) {
            int n = random.nextInt(15) - 7;
            pixels[i] = clamp(skinR + n) << 16 | clamp(skinG + n) << 8 | clamp(skinB + n);
        }
        image.setRGB(0, 0, width, height, pixels, 0, width);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double scale = Math.min(width, height) / (double) SIZE;
        double cx = width / 2.0 + random.nextGaussian() * 12 * scale;
        double cy = height / 2.0 + random.nextGaussian() * 12 * scale;
        double radius = (40 + random.nextInt(45)) * scale;
        for (int layer = 0; layer < 3; layer++) {
            double r = radius * (1 - layer * 0.3);
            int shade = 40 + layer * 25 + random.nextInt(30);
            g.setColor(new Color(clamp(shade + 60), clamp(shade + 20), clamp(shade), 220));
            g.fill(blob(random, cx, cy, r));
        }
        g.dispose();
        return image;
    }

    /** An irregular closed outline: a circle with a random radius per spoke. */
    private static Path2D blob(Random random, double cx, double cy, double radius) {
        Path2D path = new Path2D.Double();
        int spokes = 24;
        for (int i = 0; i < spokes; i++) {
            double angle = 2 * Math.PI * i / spokes;
            double r = radius * (0.75 + 0.5 * random.nextDouble());
            double x = cx + r * Math.cos(angle);
            double y = cy + r * Math.sin(angle);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        path.closePath();
        return path;
    }

    /** Encodes with the JDK's ImageIO writer for {@code format} (png, jpg, gif). */
    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
