package org.lesiontriage.triage.rescore;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One end of a replay range, as an operator writes it: {@code earliest}, {@code latest}, an ISO-8601 instant
 * ({@code 2026-11-01T00:00:00Z}: the first record with a timestamp at or after it, as Kafka resolves times), or
 * explicit offsets per partition ({@code 0:1200,1:1180}).
 */
public sealed interface RangeBound {

    record Earliest() implements RangeBound {
        @Override
        public String toString() {
            return "earliest";
        }
    }

    record Latest() implements RangeBound {
        @Override
        public String toString() {
            return "latest";
        }
    }

    record AtTime(Instant time) implements RangeBound {
        @Override
        public String toString() {
            return time.toString();
        }
    }

    /** Partitions not named take the topic's earliest offset as a start and its end as an end. */
    record AtOffsets(Map<Integer, Long> offsets) implements RangeBound {
        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            offsets.forEach((partition, offset) -> text.append(text.isEmpty() ? "" : ",").append(partition).append(':').append(offset));
            return text.toString();
        }
    }

    static RangeBound parse(String text) {
        String value = text == null ? "" : text.trim();
        if (value.equalsIgnoreCase("earliest")) {
            return new Earliest();
        }
        if (value.equalsIgnoreCase("latest")) {
            return new Latest();
        }
        if (value.matches("\\d+:\\d+(,\\d+:\\d+)*")) {
            // Sorted by partition: the bound's text is compared with the plan's when a job resumes.
            Map<Integer, Long> offsets = new TreeMap<>();
            for (String pair : value.split(",")) {
                String[] parts = pair.split(":");
                offsets.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            }
            return new AtOffsets(Collections.unmodifiableMap(offsets));
        }
        try {
            return new AtTime(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("range bound '" + value + "' is none of: earliest, latest, an ISO-8601 "
                    + "instant such as 2026-11-01T00:00:00Z, or partition:offset pairs such as 0:1200,1:1180");
        }
    }
}
