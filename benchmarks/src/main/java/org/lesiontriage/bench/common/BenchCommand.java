package org.lesiontriage.bench.common;

import java.util.concurrent.Callable;

/** One benchmark as a picocli subcommand: its options object runs it and exits 0 once the report is written. */
public abstract class BenchCommand implements Callable<Integer> {

    protected abstract void run() throws Exception;

    @Override
    public final Integer call() throws Exception {
        run();
        return 0;
    }
}
