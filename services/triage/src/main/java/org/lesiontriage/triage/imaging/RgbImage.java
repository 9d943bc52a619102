package org.lesiontriage.triage.imaging;

/** A small in-memory 8-bit RGB image, interleaved R, G, B, row-major. */
record RgbImage(int width, int height, byte[] rgb) implements RgbRowSource {

    RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("bad RGB image shape " + width + "x" + height + " for " + rgb.length + " bytes");
        }
    }

    static RgbImage copyOf(RgbRowSource source) {
        int w = source.width();
        int h = source.height();
        byte[] data = new byte[3 * w * h];
        int[] row = new int[3 * w];
        for (int y = 0; y < h; y++) {
            source.readRow(y, row);
            for (int i = 0; i < row.length; i++) {
                data[y * 3 * w + i] = (byte) row[i];
            }
        }
        return new RgbImage(w, h, data);
    }

    int get(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }

    @Override
    public void readRow(int y, int[] out) {
        int offset = y * 3 * width;
        for (int i = 0; i < 3 * width; i++) {
            out[i] = rgb[offset + i] & 0xFF;
        }
    }
}
