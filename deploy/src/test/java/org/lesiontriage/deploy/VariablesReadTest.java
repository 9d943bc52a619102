package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lesiontriage.deploy.kube.RenderedManifests;

/**
 * Every variable the manifests give an application container is one that application reads (its
 * application.properties, its settings mapping, JAVA_OPTS): a renamed or misspelt setting fails here instead of
 * being ignored in the cluster.
 */
@Tag("unit")
class VariablesReadTest {

    static final List<String> APPLIED = ProjectFiles.WITH_PODS;

    @ParameterizedTest
    @FieldSource("APPLIED")
    void everyVariableIsOneItsApplicationReads(String kustomization) {
        RenderedManifests manifests = ProjectFiles.rendered(kustomization);
        List<String> checked = new ArrayList<>();
        check(manifests, "Deployment", "triage-service", AppContainer::service, ServiceConfiguration.triage(), checked);
        check(manifests, "Deployment", "triage-dashboard", AppContainer::dashboard, ServiceConfiguration.dashboard(), checked);
        check(manifests, "Job", "triage-rescore", AppContainer::rescoreJob, ServiceConfiguration.triage(), checked);
        // bin/models runs in the service's image with the service's settings
        for (String job : List.of("triage-models-publish", "triage-models-activate")) {
            check(manifests, "Job", job, AppContainer::modelsJob, ServiceConfiguration.triage(), checked);
        }

        assertThat(checked).as("application containers in " + kustomization).isNotEmpty();
    }

    private static void check(RenderedManifests manifests, String kind, String name,
                              Function<RenderedManifests, AppContainer> app, ServiceConfiguration reads, List<String> checked) {
        if (manifests.has(kind, name)) {
            assertThat(app.apply(manifests).environment().keySet()).as(kind + "/" + name)
                    .allSatisfy(v -> assertThat(reads.variables()).as("variables the " + reads.name() + " reads").contains(v));
            checked.add(name);
        }
    }
}
