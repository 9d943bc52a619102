package org.lesiontriage.dashboard.api;

import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Server-sent event streams of views: a view is pushed at once, then whenever its source's version changed (checked
 * every interval), and at least every {@link #HEARTBEAT} so proxies keep the connection. A stream ends after
 * maxAge; the browser reconnects, and the reconnect passes the login check again.
 */
final class Streams {

    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private Streams() {
    }

    static <T> Multi<T> onChange(Duration interval, Duration maxAge, LongSupplier version, Supplier<T> view) {
        return Multi.createFrom().deferred(() -> {
            AtomicLong pushedVersion = new AtomicLong(Long.MIN_VALUE);
            AtomicLong pushedAt = new AtomicLong();
            return Multi.createFrom().ticks().every(interval)
                    .onOverflow().drop()
                    .filter(tick -> {
                        long now = System.currentTimeMillis();
                        long current = version.getAsLong();
                        if (current != pushedVersion.get() || now - pushedAt.get() >= HEARTBEAT.toMillis()) {
                            pushedVersion.set(current);
                            pushedAt.set(now);
                            return true;
                        }
                        return false;
                    })
                    .map(tick -> view.get())
                    .select().first(maxAge);
        });
    }
}
