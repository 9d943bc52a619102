package org.lesiontriage.dashboard.rollout;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** The windows the operator picks for the shadow comparison, by the time the service received the images. */
public enum ComparisonWindow {
    LAST_HOUR("1h", Duration.ofHours(1)),
    LAST_DAY("24h", Duration.ofHours(24)),
    LAST_WEEK("7d", Duration.ofDays(7));

    public static final ComparisonWindow DEFAULT = LAST_DAY;

    private final String label;
    private final Duration length;

    ComparisonWindow(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    /** {@code 1h}, {@code 24h} or {@code 7d}; blank for the default; empty for anything else. */
    public static Optional<ComparisonWindow> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(DEFAULT);
        }
        return Arrays.stream(values()).filter(w -> w.label.equals(value.trim())).findFirst();
    }
}
