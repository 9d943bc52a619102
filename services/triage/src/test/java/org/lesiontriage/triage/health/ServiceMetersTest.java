package org.lesiontriage.triage.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two applications started one after the other in one JVM, each registering its meters in the JVM-wide composite
 * and adding a scrape registry of its own, as Quarkus does. A stale meter from the first must not answer for the
 * second.
 */
class ServiceMetersTest {

    private final CompositeMeterRegistry global = new CompositeMeterRegistry();

    /** One application's run: its scrape registry joins the composite and it registers a counter of its own. */
    private SimpleMeterRegistry start(AtomicLong commits) {
        SimpleMeterRegistry scrape = new SimpleMeterRegistry();
        global.add(scrape);
        FunctionCounter.builder("triage.kafka.commits", commits, AtomicLong::doubleValue).register(global);
        global.counter("other.library.meter").increment();
        return scrape;
    }

    private void stop(SimpleMeterRegistry scrape, boolean removeServiceMeters) {
        if (removeServiceMeters) {
            ServiceMeters.removeFrom(global);
        }
        global.remove(scrape);
    }

    @Test
    void withoutRemovalTheSecondApplicationScrapesTheFirstApplicationsObject() {
        AtomicLong first = new AtomicLong(5);
        stop(start(first), false);

        SimpleMeterRegistry second = start(new AtomicLong(7));

        // the composite kept the first meter and returned it: the second's object is never read. Once the first
        // object is collected (weakly held) the composite cannot even hand the meter to the scrape registry.
        assertThat(second.get("triage.kafka.commits").functionCounter().count()).isEqualTo(5);
    }

    @Test
    void afterRemovalAtStopTheSecondApplicationScrapesItsOwnMeters() {
        SimpleMeterRegistry firstScrape = start(new AtomicLong(5));
        stop(firstScrape, true);

        SimpleMeterRegistry second = start(new AtomicLong(7));

        assertThat(second.get("triage.kafka.commits").functionCounter().count()).isEqualTo(7);
        assertThat(global.find("other.library.meter").counter()).as("only the service's own meters are removed")
                .isNotNull();
    }

    @Test
    void removesOnlyMetersWithTheServicePrefix() {
        MeterRegistry registry = new SimpleMeterRegistry();
        registry.counter("triage.results", "priority", "URGENT");
        registry.gauge("triage.input.lag", new AtomicLong(0));
        registry.counter("jvm.gc.pause");

        assertThat(ServiceMeters.removeFrom(registry)).isEqualTo(2);
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).containsExactly("jvm.gc.pause");
    }
}
