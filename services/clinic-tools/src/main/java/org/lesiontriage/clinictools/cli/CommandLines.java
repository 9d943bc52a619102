package org.lesiontriage.clinictools.cli;

import picocli.CommandLine;

/**
 * The clinic tools' command lines on picocli: an annotated options object is parsed here, and any error becomes a
 * {@link UsageException} whose message names the option, so each tool prints one line and exits with 2.
 */
public final class CommandLines {

    private CommandLines() {
    }

    /** Fills {@code spec}'s annotated fields from {@code args}; returns whether --help was asked for. */
    public static boolean parse(Object spec, String[] args) {
        CommandLine line = new CommandLine(spec).setCaseInsensitiveEnumValuesAllowed(true);
        try {
            line.parseArgs(args);
            return line.isUsageHelpRequested();
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The --help text picocli writes from the annotations. */
    public static String usage(Object spec) {
        return new CommandLine(spec).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    public static int positive(int value, String option) {
        if (value < 1) {
            throw new UsageException(option + " needs a whole number >= 1, got " + value);
        }
        return value;
    }

    public static int nonNegative(int value, String option) {
        if (value < 0) {
            throw new UsageException(option + " needs a whole number >= 0, got " + value);
        }
        return value;
    }

    public static double nonNegative(double value, String option) {
        if (value < 0) {
            throw new UsageException(option + " needs a number >= 0, got " + value);
        }
        return value;
    }
}
