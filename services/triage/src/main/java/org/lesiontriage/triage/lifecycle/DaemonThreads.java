package org.lesiontriage.triage.lifecycle;

import java.util.concurrent.ThreadFactory;

/** The lifecycle's background threads: named, and never keeping the process alive. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
