package org.lesiontriage.bench.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time per thread of this process and per process, read from Linux's /proc (proc(5)). Clock ticks are
 * USER_HZ, which is 100 on every Linux ABI this runs on (x86-64, arm64): one tick is 10 ms.
 */
public final class ProcCpu {

    public static final double MS_PER_TICK = 10.0;

    private final Path proc;

    /** This machine's /proc. */
    public ProcCpu() {
        this(Path.of("/proc"));
    }

    /** A /proc-like tree, for tests. */
    public ProcCpu(Path proc) {
        this.proc = proc;
    }

    /** Whether there is a /proc to read (not on macOS or Windows). */
    public boolean available() {
        return Files.isReadable(proc.resolve("self/stat"));
    }

    /** Every live thread of this process; a thread that ends while being listed is left out. */
    public Map<TaskStat.Key, TaskStat> threads() {
        Map<TaskStat.Key, TaskStat> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(proc.resolve("self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                read(task.resolve("stat")).ifPresent(stat -> threads.put(stat.key(), stat));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the threads under " + proc.resolve("self/task"), e);
        }
        return threads;
    }

    /** CPU ticks of this process, all its threads, ended ones included. */
    public long selfTicks() {
        return read(proc.resolve("self/stat")).orElseThrow().cpuTicks();
    }

    /** CPU ticks of another process (all its threads), or empty once it has ended. */
    public OptionalLong processTicks(long pid) {
        return read(proc.resolve(Long.toString(pid)).resolve("stat"))
                .map(stat -> OptionalLong.of(stat.cpuTicks())).orElse(OptionalLong.empty());
    }

    /** The calling thread (Java 17 does not expose its native id; /proc/thread-self is the caller's entry). */
    public TaskStat currentThread() {
        return read(proc.resolve("thread-self/stat")).orElseThrow();
    }

    private static Optional<TaskStat> read(Path stat) {
        try {
            return Optional.of(TaskStat.parse(Files.readString(stat)));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // ended between listing and reading
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + stat, e);
        }
    }
}
