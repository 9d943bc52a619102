package org.lesiontriage.triage.failures;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the attempt ledger remembers of one input partition: where its task last started ({@code resumeOffset},
 * how many times in a row without committing past it) and how often processing failed on a record not yet
 * committed past. Kept outside the exactly-once transaction on purpose: an aborted transaction must not erase
 * the evidence that a record crashed it.
 *
 * <p>Encoded as one short line of text ({@code resume=12;starts=2;tries=15:1,16:2}) so an operator can read the
 * ledger topic with a console consumer.
 */
public record PartitionAttempts(long resumeOffset, int starts, Map<Long, Integer> tries) {

    public static final PartitionAttempts NONE = new PartitionAttempts(-1, 0, Map.of());

    public PartitionAttempts {
        tries = Map.copyOf(tries);
    }

    /**
     * The task starts again at {@code offset}: a start at the same offset as the last one counts up (nothing was
     * committed in between), another offset starts the count again and forgets tries the commits have passed.
     */
    public PartitionAttempts startedAt(long offset) {
        Map<Long, Integer> kept = new TreeMap<>(tries);
        kept.keySet().removeIf(o -> o < offset);
        return new PartitionAttempts(offset, offset == resumeOffset ? starts + 1 : 1, kept);
    }

    public int triesOf(long offset) {
        return tries.getOrDefault(offset, 0);
    }

    /** True when a record at or after {@code offset} failed before and has not been committed past. */
    public boolean hasTriesFrom(long offset) {
        return tries.keySet().stream().anyMatch(o -> o >= offset);
    }

    public PartitionAttempts withTries(long offset, int count) {
        Map<Long, Integer> changed = new TreeMap<>(tries);
        if (count <= 0) {
            changed.remove(offset);
        } else {
            changed.put(offset, count);
        }
        return new PartitionAttempts(resumeOffset, starts, changed);
    }

    public String encode() {
        String triesText = new TreeMap<>(tries).entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
        return "resume=" + resumeOffset + ";starts=" + starts + ";tries=" + triesText;
    }

    /** Reads {@link #encode()}'s text; anything else reads as no history (the ledger is advice, not a contract). */
    public static PartitionAttempts decode(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        try {
            Map<String, String> fields = new TreeMap<>();
            for (String part : text.split(";")) {
                int eq = part.indexOf('=');
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
            Map<Long, Integer> tries = new TreeMap<>();
            String triesText = fields.getOrDefault("tries", "");
            if (!triesText.isEmpty()) {
                for (String entry : triesText.split(",")) {
                    int colon = entry.indexOf(':');
                    tries.put(Long.parseLong(entry.substring(0, colon)), Integer.parseInt(entry.substring(colon + 1)));
                }
            }
            return new PartitionAttempts(Long.parseLong(fields.get("resume")), Integer.parseInt(fields.get("starts")),
                    tries);
        } catch (RuntimeException e) {
            return NONE;
        }
    }
}
