package org.lesiontriage.deploy.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.lesiontriage.deploy.kube.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Every rendered object against its schema: built-in kinds against Kubernetes' definitions, custom resources
 * against their CRDs; a kind with no vendored schema is itself a problem (vendor it before using it). On top, the
 * API server's name rules that no schema carries: object, container, port and volume names, label values,
 * volume mounts that name a volume of the pod, probes that name a port of the container.
 */
public final class ManifestValidator {

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final KubernetesSchemas kubernetes;
    private final CustomResourceSchemas customResources;

    private ManifestValidator(KubernetesSchemas kubernetes, CustomResourceSchemas customResources) {
        this.kubernetes = kubernetes;
        this.customResources = customResources;
    }

    public static ManifestValidator load() {
        return new ManifestValidator(KubernetesSchemas.load(), CustomResourceSchemas.load());
    }

    public List<String> problems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        objects.forEach(object -> problems.addAll(problems(object)));
        return problems;
    }

    public List<String> problems(JsonNode object) {
        String subject = Objects.id(object) + " (" + Objects.apiVersion(object) + ")";
        List<String> problems = new ArrayList<>();
        Optional<List<String>> schemaProblems = kubernetes.validate(subject, object)
                .or(() -> customResources.validate(subject, object));
        if (schemaProblems.isEmpty()) {
            problems.add(subject + ": no schema is vendored for this apiVersion and kind");
        } else {
            problems.addAll(schemaProblems.get());
        }
        problems.addAll(kubernetes.validateMetadata(subject, object.path("metadata")));
        problems.addAll(names(subject, object));
        JsonNode podSpec = Objects.podSpec(object);
        if (podSpec.isObject()) {
            problems.addAll(pod(subject, podSpec));
        }
        return problems;
    }

    private static List<String> names(String subject, JsonNode object) {
        List<String> problems = new ArrayList<>();
        String name = Objects.name(object);
        Pattern rule = "Service".equals(Objects.kind(object)) ? DNS_1035_LABEL : DNS_SUBDOMAIN;
        if (!matches(rule, name, 253)) {
            problems.add(subject + ": name '" + name + "' is not a valid object name");
        }
        for (String path : List.of("/metadata/labels", "/spec/template/metadata/labels", "/spec/selector/matchLabels")) {
            object.at(path).properties().forEach(label -> {
                if (!matches(LABEL_VALUE, label.getValue().asString(""), 63)) {
                    problems.add(subject + ": label " + label.getKey() + " has an invalid value");
                }
            });
        }
        return problems;
    }

    private static List<String> pod(String subject, JsonNode podSpec) {
        List<String> problems = new ArrayList<>();
        Set<String> volumes = new HashSet<>();
        for (JsonNode volume : podSpec.path("volumes")) {
            String name = volume.path("name").asString("");
            if (!matches(DNS_LABEL, name, 63) || !volumes.add(name)) {
                problems.add(subject + ": volume name '" + name + "' is invalid or repeated");
            }
        }
        for (JsonNode container : podSpec.path("containers")) {
            String name = container.path("name").asString("");
            String where = subject + " container " + name;
            if (!matches(DNS_LABEL, name, 63)) {
                problems.add(where + ": invalid container name");
            }
            Set<String> ports = new HashSet<>();
            for (JsonNode port : container.path("ports")) {
                String portName = port.path("name").asString("");
                if (!portName.isEmpty() && (!matches(PORT_NAME, portName, 15) || !portName.matches(".*[a-z].*")
                        || portName.contains("--") || !ports.add(portName))) {
                    problems.add(where + ": invalid or repeated port name '" + portName + "'");
                }
            }
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode port = container.at("/" + probe + "/httpGet/port");
                if (port.isString() && !ports.contains(port.asString())) {
                    problems.add(where + ": " + probe + " names port '" + port.asString() + "', which it does not have");
                }
            }
            for (JsonNode variable : container.path("env")) {
                if (!ENV_NAME.matcher(variable.path("name").asString("")).matches()) {
                    problems.add(where + ": invalid variable name '" + variable.path("name").asString("") + "'");
                }
            }
            for (JsonNode mount : container.path("volumeMounts")) {
                if (!volumes.contains(mount.path("name").asString(""))) {
                    problems.add(where + ": mounts volume '" + mount.path("name").asString("")
                            + "', which the pod does not have");
                }
            }
        }
        return problems;
    }

    private static boolean matches(Pattern pattern, String value, int maxLength) {
        return value.length() <= maxLength && pattern.matcher(value).matches();
    }
}
