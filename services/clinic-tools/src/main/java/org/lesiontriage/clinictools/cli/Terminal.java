package org.lesiontriage.clinictools.cli;

/**
 * Whether output goes to a person at a terminal (redraw in place) or to a file or pipe (plain lines).
 * The launch scripts know this exactly ({@code [ -t 1 ]}) and pass it as a system property; Java alone cannot
 * tell stdout from stderr.
 */
public final class Terminal {

    /** Set to true/false by bin/simulate (for stderr) and bin/viewer (for stdout). */
    public static final String TTY_PROPERTY = "lesion.tty";

    private Terminal() {
    }

    public static boolean isInteractive() {
        String flag = System.getProperty(TTY_PROPERTY);
        if (flag != null) {
            return Boolean.parseBoolean(flag);
        }
        return System.console() != null;
    }
}
