package org.lesiontriage.cli;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/** Reads {@code --name value} and {@code --name=value} options one at a time, with messages that name the option. */
public final class ArgumentReader {

    private final Deque<String> remaining;
    private String pendingValue;

    public ArgumentReader(String[] args) {
        this.remaining = new ArrayDeque<>(Arrays.asList(args));
    }

    public boolean hasNext() {
        return !remaining.isEmpty();
    }

    /** The next option name, e.g. {@code --rate}; a value given as {@code --rate=5} is kept for the next read. */
    public String nextOption() {
        String arg = remaining.removeFirst();
        if (!arg.startsWith("--")) {
            throw new UsageException("unexpected argument '" + arg + "'");
        }
        int eq = arg.indexOf('=');
        if (eq > 0) {
            pendingValue = arg.substring(eq + 1);
            return arg.substring(0, eq);
        }
        pendingValue = null;
        return arg;
    }

    public String text(String option) {
        if (pendingValue != null) {
            String value = pendingValue;
            pendingValue = null;
            return value;
        }
        if (remaining.isEmpty() || remaining.peekFirst().startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return remaining.removeFirst();
    }

    public Path path(String option) {
        return Path.of(text(option));
    }

    public int nonNegativeInt(String option) {
        String value = text(option);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " needs a whole number >= 0, got '" + value + "'");
    }

    public int positiveInt(String option) {
        int value = nonNegativeInt(option);
        if (value == 0) {
            throw new UsageException(option + " needs a whole number >= 1, got 0");
        }
        return value;
    }

    public double nonNegativeDouble(String option) {
        String value = text(option);
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= 0 && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " needs a number >= 0, got '" + value + "'");
    }

    /** Rejects a value glued to a flag that takes none, e.g. {@code --help=yes}. */
    public void noValue(String option) {
        if (pendingValue != null) {
            throw new UsageException(option + " takes no value");
        }
    }
}
