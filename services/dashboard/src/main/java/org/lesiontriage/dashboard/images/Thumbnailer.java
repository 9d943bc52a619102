package org.lesiontriage.dashboard.images;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes a lesion image and scales it to a thumbnail (JPEG), on the server, so the browser never gets the
 * original. The size is checked on the header before decoding, and large images are subsampled while decoding.
 */
public final class Thumbnailer {

    private final int size;
    private final long maxPixels;

    public Thumbnailer(int size, long maxPixels) {
        this.size = size;
        this.maxPixels = maxPixels;
    }

    public Thumbnail scale(byte[] encoded) throws IOException {
        BufferedImage image = decode(encoded);
        double factor = Math.min(1.0, size / (double) Math.max(image.getWidth(), image.getHeight()));
        int width = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage thumb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = thumb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(thumb, "jpg", out)) {
            throw new IOException("no JPEG writer");
        }
        return new Thumbnail(out.toByteArray(), "image/jpeg");
    }

    private BufferedImage decode(byte[] encoded) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("not an image this dashboard decodes");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new IOException("image declares " + pixels + " pixels, more than " + maxPixels);
                }
                // Decode at most about twice the thumbnail's size: bilinear from there looks smooth.
                int step = Math.max(1, Math.max(reader.getWidth(0), reader.getHeight(0)) / (2 * size));
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
    }
}
