package org.lesiontriage.deploy;

import java.util.HashMap;
import java.util.Map;
import org.lesiontriage.deploy.kube.ContainerEnvironment;
import org.lesiontriage.deploy.kube.Objects;
import org.lesiontriage.deploy.kube.RenderedManifests;
import tools.jackson.databind.JsonNode;

/**
 * One application container of a render (the service's, the dashboard's, a re-score or model Job's), with the workload
 * that runs it and the environment it starts with.
 */
record AppContainer(RenderedManifests manifests, JsonNode workload, JsonNode container) {

    static AppContainer service(RenderedManifests manifests) {
        return of(manifests, "Deployment", "triage-service", "triage");
    }

    static AppContainer dashboard(RenderedManifests manifests) {
        return of(manifests, "Deployment", "triage-dashboard", "dashboard");
    }

    static AppContainer rescoreJob(RenderedManifests manifests) {
        return of(manifests, "Job", "triage-rescore", "rescore");
    }

    /** The container of a model admin Job (publish or activate: one per kustomization). */
    static AppContainer modelsJob(RenderedManifests manifests) {
        return of(manifests, "Job", "triage-models", "models");
    }

    private static AppContainer of(RenderedManifests manifests, String kind, String app, String container) {
        JsonNode workload = manifests.workload(kind, app);
        return new AppContainer(manifests, workload, Objects.container(workload, container));
    }

    /** The variables the manifests give the container. */
    Map<String, String> environment() {
        return ContainerEnvironment.of(manifests, container).variables();
    }

    /** What the process sees: its image's ENV, overridden by the manifests' variables. */
    Map<String, String> runtimeEnvironment() {
        Map<String, String> environment = new HashMap<>(image().environment());
        environment.putAll(environment());
        return environment;
    }

    org.lesiontriage.deploy.docker.Dockerfile image() {
        return DockerImagesTest.dockerfileOf(container.path("image").asString());
    }
}
