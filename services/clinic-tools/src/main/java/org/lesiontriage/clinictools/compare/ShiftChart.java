package org.lesiontriage.clinictools.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.lesiontriage.common.compare.ResultComparison;

/** The two p(melanoma) histograms side by side per bin, as a PNG for the comparison report. */
final class ShiftChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color BASELINE = new Color(0x4C72B0);
    private static final Color CANDIDATE = new Color(0xDD8452);

    private ShiftChart() {
    }

    static void write(ResultComparison comparison, Path file) throws IOException {
        int[] before = comparison.shift().baselineHistogram();
        int[] after = comparison.shift().candidateHistogram();
        int max = 1;
        for (int i = 0; i < before.length; i++) {
            max = Math.max(max, Math.max(before[i], after[i]));
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        double binWidth = (double) plotWidth / before.length;
        for (int i = 0; i < before.length; i++) {
            int x = LEFT + (int) Math.round(i * binWidth);
            int barWidth = (int) Math.max(1, binWidth / 2 - 1);
            bar(g, BASELINE, x + 1, barWidth, before[i], max, plotHeight);
            bar(g, CANDIDATE, x + 1 + barWidth, barWidth, after[i], max, plotHeight);
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotHeight);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int tick = 0; tick <= 10; tick++) {
            int x = LEFT + plotWidth * tick / 10;
            g.drawLine(x, TOP + plotHeight, x, TOP + plotHeight + 4);
            g.drawString(String.format(Locale.ROOT, "%.1f", tick / 10.0), x - 8, TOP + plotHeight + 18);
        }
        for (int tick = 0; tick <= 4; tick++) {
            int y = TOP + plotHeight - plotHeight * tick / 4;
            g.drawLine(LEFT - 4, y, LEFT, y);
            g.drawString(String.valueOf(max * tick / 4), 10, y + 4);
        }
        g.drawString("p(melanoma)", LEFT + plotWidth / 2 - 35, HEIGHT - 18);
        g.drawString("events", 10, TOP - 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("p(melanoma) per event: baseline vs candidate", LEFT, 22);
        legend(g, BASELINE, "baseline: " + comparison.baselineModel(), 30);
        legend(g, CANDIDATE, "candidate: " + comparison.candidateModel(), 46);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void bar(Graphics2D g, Color color, int x, int width, int count, int max, int plotHeight) {
        int height = (int) Math.round((double) count / max * plotHeight);
        g.setColor(color);
        g.fillRect(x, TOP + plotHeight - height, width, height);
    }

    private static void legend(Graphics2D g, Color color, String text, int y) {
        int x = WIDTH - RIGHT - 360;
        g.setColor(color);
        g.fillRect(x, y - 9, 12, 10);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(text, x + 18, y);
    }
}
