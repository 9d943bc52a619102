package org.lesiontriage.bench.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A /proc-like tree in a temporary folder: stat files with the fields the readers use, the rest as Linux has them. */
public final class ProcFixture {

    private final Path root;

    public ProcFixture(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** A stat line as Linux writes it (proc(5)): utime is field 14, stime 15, starttime 22. */
    public static String statLine(long id, String comm, long utime, long stime, long startTicks) {
        return id + " (" + comm + ") S 26290 26290 13419 0 -1 4194304 100 0 0 0 " + utime + " " + stime
                + " 0 0 20 0 1 0 " + startTicks + " 3133440 416 18446744073709551615 94056766947328 0 0 0 0 0 0 0 0 "
                + "0 0 0 17 1 0 0 0 0 0\n";
    }

    public ProcFixture self(long utime, long stime) {
        return write(root.resolve("self/stat"), statLine(100, "java", utime, stime, 5));
    }

    public ProcFixture thread(long tid, String comm, long cpuTicks, long startTicks) {
        return write(root.resolve("self/task/" + tid + "/stat"), statLine(tid, comm, cpuTicks, 0, startTicks));
    }

    public ProcFixture threadSelf(long tid, String comm, long startTicks) {
        return write(root.resolve("thread-self/stat"), statLine(tid, comm, 0, 0, startTicks));
    }

    public ProcFixture process(long pid, String comm, long cpuTicks) {
        return write(root.resolve(pid + "/stat"), statLine(pid, comm, cpuTicks, 0, 7));
    }

    public ProcFixture end(long tid) {
        try {
            Files.delete(root.resolve("self/task/" + tid + "/stat"));
            Files.delete(root.resolve("self/task/" + tid));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcFixture write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
