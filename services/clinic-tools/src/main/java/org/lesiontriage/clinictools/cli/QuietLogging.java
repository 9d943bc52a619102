package org.lesiontriage.clinictools.cli;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Kafka client logs its whole configuration at INFO; a command line tool shows only warnings.
 * A logging configuration given with -Djava.util.logging.config.file wins.
 */
public final class QuietLogging {

    private QuietLogging() {
    }

    public static void apply() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
    }
}
