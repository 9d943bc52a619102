package org.lesiontriage.triage.imaging;

/** An image read one row at a time as interleaved 8-bit R, G, B values (0..255). */
interface RgbRowSource {

    int width();

    int height();

    /** Fills {@code rgb[0 .. 3 * width())} with row {@code y}. */
    void readRow(int y, int[] rgb);
}
