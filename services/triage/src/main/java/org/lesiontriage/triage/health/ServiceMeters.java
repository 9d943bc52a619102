package org.lesiontriage.triage.health;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Removes the service's own meters (triage_*) when the application stops. The MeterRegistry Quarkus injects is
 * Micrometer's JVM-wide global composite, which outlives the application: without this, an application started
 * again in the same JVM (as a test run does) would get the previous application's meters back when it registers
 * its own, bound to objects of the stopped application. Gauges and function counters hold those objects weakly;
 * once they are collected the composite no longer hands the meter to the new scrape registry, and the meter
 * disappears from /q/metrics.
 */
@ApplicationScoped
public class ServiceMeters {

    /** The prefix of every meter this service registers (Prometheus: triage_). */
    public static final String PREFIX = "triage.";

    @Inject
    MeterRegistry meters;

    void removeAtStop(@Observes ShutdownEvent stopping) {
        removeFrom(meters);
    }

    /** Removes every meter named PREFIX* from the registry; returns how many. */
    static int removeFrom(MeterRegistry registry) {
        List<Meter> own = registry.getMeters().stream().filter(m -> m.getId().getName().startsWith(PREFIX)).toList();
        own.forEach(registry::remove);
        return own.size();
    }
}
