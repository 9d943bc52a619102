package org.lesiontriage.clinictools.cli;

/** Short human-readable durations for progress lines and summaries. */
public final class Durations {

    private Durations() {
    }

    /** e.g. {@code 0.8s}, {@code 42s}, {@code 3m05s}, {@code 1h02m}. */
    public static String format(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        if (seconds < 10) {
            return String.format("%.1fs", seconds);
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
