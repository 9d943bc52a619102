package org.lesiontriage.common.labels;

import java.util.Locale;

/**
 * The true class of an image, where it is known (a labelled folder, the simulator's labels file): what the
 * screening metrics of a run or a comparison are computed against.
 */
public enum Label {
    MELANOMA("melanoma"),
    NON_MELANOMA("non_melanoma"),
    UNKNOWN("");

    private final String text;

    Label(String text) {
        this.text = text;
    }

    /** The name used in folders and in the labels file. */
    public String text() {
        return text;
    }

    /** The class a folder name stands for; anything but the two class names is unknown. */
    public static Label parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "melanoma" -> MELANOMA;
            case "non_melanoma" -> NON_MELANOMA;
            default -> UNKNOWN;
        };
    }
}
