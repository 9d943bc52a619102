package org.lesiontriage.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lesiontriage.deploy.kube.Kustomize;
import org.lesiontriage.deploy.kube.RenderedManifests;
import org.lesiontriage.deploy.schema.ManifestValidator;

/** The repository's deployment files, rendered once per test run. */
public final class ProjectFiles {

    /** The kustomizations an operator applies (k8s/README.md); every other one is a base of these. */
    public static final String CPU = "k8s/overlays/cpu";
    public static final String GPU = "k8s/overlays/gpu";
    public static final String SECURED = "k8s/overlays/secured";
    public static final String RESCORE = "k8s/jobs/rescore";
    public static final String SECURED_RESCORE = "k8s/overlays/secured/rescore";
    /** The model admin's Jobs (bin/models publish, activate), on the plaintext and on the secured cluster. */
    public static final String MODELS_PUBLISH = "k8s/jobs/models/publish";
    public static final String MODELS_ACTIVATE = "k8s/jobs/models/activate";
    public static final String SECURED_MODELS_PUBLISH = "k8s/overlays/secured/models/publish";
    public static final String SECURED_MODELS_ACTIVATE = "k8s/overlays/secured/models/activate";
    public static final java.util.List<String> MODEL_JOBS = java.util.List.of(MODELS_PUBLISH, MODELS_ACTIVATE,
            SECURED_MODELS_PUBLISH, SECURED_MODELS_ACTIVATE);
    /** Alert rules, ServiceMonitor and Grafana dashboard, applied beside any of the service's overlays. */
    public static final String MONITORING = "k8s/monitoring";
    /** The applied kustomizations that run pods. */
    public static final java.util.List<String> WITH_PODS = java.util.List.of(CPU, GPU, SECURED, RESCORE, SECURED_RESCORE,
            MODELS_PUBLISH, MODELS_ACTIVATE, SECURED_MODELS_PUBLISH, SECURED_MODELS_ACTIVATE);
    public static final java.util.List<String> APPLIED = java.util.List.of(CPU, GPU, SECURED, RESCORE, SECURED_RESCORE,
            MODELS_PUBLISH, MODELS_ACTIVATE, SECURED_MODELS_PUBLISH, SECURED_MODELS_ACTIVATE, MONITORING);
    /** The overlays that run the service. */
    public static final java.util.List<String> SERVICE_OVERLAYS = java.util.List.of(CPU, GPU, SECURED);

    private static final Map<String, RenderedManifests> RENDERED = new ConcurrentHashMap<>();
    private static ManifestValidator validator;

    private ProjectFiles() {
    }

    public static Path root() {
        String configured = System.getProperty("lesion.project.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("k8s")) && Files.isDirectory(dir.resolve("docker"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root with k8s/ and docker/ above " + start);
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    public static RenderedManifests rendered(String kustomization) {
        return RENDERED.computeIfAbsent(kustomization, k -> Kustomize.render(path(k)));
    }

    public static synchronized ManifestValidator validator() {
        if (validator == null) {
            validator = ManifestValidator.load();
        }
        return validator;
    }
}
