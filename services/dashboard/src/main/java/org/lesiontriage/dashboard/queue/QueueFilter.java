package org.lesiontriage.dashboard.queue;

import java.util.Locale;
import org.lesiontriage.contracts.TriagePriority;

/**
 * Which rows a view shows: a clinic (null = all), a priority (null = all) and a status.
 */
public record QueueFilter(String clinic, TriagePriority priority, Status status, int limit) {

    public enum Status { OPEN, REVIEWED, ALL }

    /** From query parameters; blank or unknown values mean "all" (status: open). */
    public static QueueFilter parse(String clinic, String priority, String status, int limit) {
        return new QueueFilter(blank(clinic) ? null : clinic.trim(), parsePriority(priority), parseStatus(status),
                limit);
    }

    boolean matches(QueueEntry entry, boolean reviewed) {
        return (clinic == null || clinic.equals(entry.clinicId()))
                && (priority == null || priority == entry.priority())
                && switch (status) {
                    case OPEN -> !reviewed;
                    case REVIEWED -> reviewed;
                    case ALL -> true;
                };
    }

    private static TriagePriority parsePriority(String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return TriagePriority.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Status parseStatus(String value) {
        if (blank(value)) {
            return Status.OPEN;
        }
        try {
            return Status.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Status.OPEN;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
