package org.lesiontriage.triage.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.inference.ModelDescriptor;
import org.lesiontriage.triage.lifecycle.ModelLifecycle;
import org.lesiontriage.triage.lifecycle.ScoringModels;
import java.util.Map;
import java.util.Optional;

/**
 * Readiness: the model is loaded and warmed up, and no partition waits for a version being prepared (the Kafka Streams extension adds its own check that the streams
 * are RUNNING). Also publishes triage_model_info{name,version,sha256,device} = 1.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    LesionClassifier classifier;

    @Inject
    ScoringModels models;

    @Inject
    Optional<ModelLifecycle> lifecycle;

    void publishModelInfo(@Observes StartupEvent started, MeterRegistry meters) {
        ModelDescriptor model = classifier.descriptor();
        Gauge.builder("triage.model.info", () -> 1)
                .description("The model being served")
                .tag("name", model.name())
                .tag("version", model.version())
                .tag("sha256", model.sha256())
                .tag("device", classifier.device().name().toLowerCase())
                .register(meters);
    }

    /** DOWN while a partition waits for a version this instance is still preparing (it scores nothing meanwhile). */
    @Override
    public HealthCheckResponse call() {
        ModelDescriptor model = models.current().descriptor();
        var response = HealthCheckResponse.named("model")
                .up()
                .withData("name", model.name())
                .withData("version", model.version())
                .withData("device", classifier.device().name().toLowerCase());
        Map<Integer, String> waiting = lifecycle.map(l -> l.models().waiting()).orElse(Map.of());
        if (!waiting.isEmpty()) {
            response.down();
            waiting.forEach((partition, why) -> response.withData("partition " + partition, why));
        }
        return response.build();
    }
}
