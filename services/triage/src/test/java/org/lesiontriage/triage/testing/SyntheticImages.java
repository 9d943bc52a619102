package org.lesiontriage.triage.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Lesion-like synthetic images (a dark blob on skin tones), so tests need no data set. */
public final class SyntheticImages {

    private SyntheticImages() {
    }

    public static byte[] jpeg(int width, int height, long seed) {
        return encode(draw(width, height, seed), "jpg");
    }

    public static byte[] png(int width, int height, long seed) {
        return encode(draw(width, height, seed), "png");
    }

    static BufferedImage draw(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(200 + random.nextInt(40), 150 + random.nextInt(40), 120 + random.nextInt(40)));
        g.fillRect(0, 0, width, height);
        int blobs = 1 + random.nextInt(3);
        for (int i = 0; i < blobs; i++) {
            int w = width / 4 + random.nextInt(Math.max(1, width / 3));
            int h = height / 4 + random.nextInt(Math.max(1, height / 3));
            g.setColor(new Color(60 + random.nextInt(80), 30 + random.nextInt(50), 20 + random.nextInt(40)));
            g.fillOval(random.nextInt(Math.max(1, width - w)), random.nextInt(Math.max(1, height - h)), w, h);
        }
        g.dispose();
        return image;
    }

    /** Encodes with the JDK's ImageIO writer for {@code format} (png, jpg, gif). */
    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("No ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
