package org.lesiontriage.bench.e2e;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Lesion-like JPEGs (dark blobs on a skin tone) for when the ISIC images are not on this machine. */
final class SyntheticLesions {

    private SyntheticLesions() {
    }

    static byte[] jpeg(int side, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200 + random.nextInt(40), 150 + random.nextInt(40), 120 + random.nextInt(40)));
        g.fillRect(0, 0, side, side);
        for (int i = 0, blobs = 1 + random.nextInt(3); i < blobs; i++) {
            int w = side / 4 + random.nextInt(side / 3);
            int h = side / 4 + random.nextInt(side / 3);
            g.setColor(new Color(60 + random.nextInt(80), 30 + random.nextInt(50), 20 + random.nextInt(40)));
            g.fillOval(random.nextInt(side - w), random.nextInt(side - h), w, h);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
