package org.lesiontriage.triage.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

/**
 * Bad input never reaches here (it is dead-lettered); what does is transient (registry or broker unreachable,
 * a failed model run). Replacing the thread retries from the last commit, which exactly-once makes safe.
 */
@ApplicationScoped
public class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = Logger.getLogger(StreamThreadRecovery.class);

    private final AtomicLong replacements = new AtomicLong();

    /** Stream threads replaced since start (readiness shows it; a fast-rising count means a thread keeps dying). */
    public long replacements() {
        return replacements.get();
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        replacements.incrementAndGet();
        LOG.errorf("Stream thread failed (%s: %s); replacing it to retry from the last commit",
                exception.getClass().getSimpleName(), exception.getMessage());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
