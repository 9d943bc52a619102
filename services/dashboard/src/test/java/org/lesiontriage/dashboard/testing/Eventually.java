package org.lesiontriage.dashboard.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls until a condition holds (the dashboard reads the topics asynchronously). */
public final class Eventually {

    private Eventually() {
    }

    /** The first value that passes {@code check}; the last value's failure after the timeout. */
    public static <T> T await(Duration timeout, Supplier<T> value, java.util.function.Consumer<T> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T current = value.get();
            try {
                check.accept(current);
                return current;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
