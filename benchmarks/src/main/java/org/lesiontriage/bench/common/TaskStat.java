package org.lesiontriage.bench.common;

/**
 * One line of {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat}: the thread's (or process's) id,
 * its name as the kernel keeps it ({@code comm}, at most 15 characters) and the CPU it used, in clock ticks.
 *
 * @param startTicks when the thread started (ticks since boot): with the id, it tells a reused id from the old one
 * @param cpuTicks   user + system time (utime + stime)
 */
public record TaskStat(long id, String comm, long startTicks, long cpuTicks) {

    /** Fields after the closing parenthesis of comm, counted from the state (field 3 of proc(5)). */
    private static final int UTIME = 14 - 3;
    private static final int STIME = 15 - 3;
    private static final int STARTTIME = 22 - 3;

    /**
     * Parses a stat line. The name may hold spaces and parentheses ("(sd-pam)", "GC Thread#0"), so it runs from
     * the first '(' to the LAST ')', and the numbered fields come after that.
     */
    public static TaskStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("Not a /proc stat line: " + line);
        }
        String[] fields = line.substring(close + 1).trim().split(" +");
        if (fields.length <= STARTTIME) {
            throw new IllegalArgumentException("Too few fields in /proc stat line: " + line);
        }
        return new TaskStat(Long.parseLong(line.substring(0, open).trim()), line.substring(open + 1, close),
                Long.parseLong(fields[STARTTIME]), Long.parseLong(fields[UTIME]) + Long.parseLong(fields[STIME]));
    }

    /** The thread's identity across readings: ids are reused once a thread ends, start times are not. */
    public Key key() {
        return new Key(id, startTicks);
    }

    public record Key(long id, long startTicks) {
    }
}
