package org.lesiontriage.triage.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set, from /proc (Linux); 0 elsewhere, where the memory budget then counts nothing. */
final class ResidentMemory {

    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE_BYTES = 4096;

    private ResidentMemory() {
    }

    static long bytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE_BYTES;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
