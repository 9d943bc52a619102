package org.lesiontriage.triage.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.inference.ModelDescriptor;
import org.lesiontriage.triage.lifecycle.ScoringModels;

/** GET /model: the card of the version that scores new input now, so an operator can see what triages the images. */
@Path("/model")
public class ModelResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ScoringModels models;

    /** The card as served: identity, device, threshold, classes, input and the training report's metrics. */
    public record ModelCard(String name, String version, String sha256, String architecture, String device,
                            List<String> classLabels, double threshold, List<Integer> inputSize,
                            Map<String, Object> metadata) {
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public ModelCard card() {
        LesionClassifier classifier = models.current().classifier();
        ModelDescriptor model = classifier.descriptor();
        Map<String, Object> metadata = new LinkedHashMap<>();
        // Metadata values that are JSON documents (metrics, contract) are shown as JSON, not as escaped strings.
        model.metadata().forEach((key, value) -> metadata.put(key, parsedIfJson(value)));
        return new ModelCard(model.name(), model.version(), model.sha256(), model.architecture(),
                classifier.device().name().toLowerCase(), model.classLabels(), model.threshold(),
                List.of(model.inputHeight(), model.inputWidth()), metadata);
    }

    private static Object parsedIfJson(String value) {
        String trimmed = value.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                JsonNode node = JSON.readTree(trimmed);
                return node;
            } catch (Exception notJson) {
                return value;
            }
        }
        return value;
    }
}
