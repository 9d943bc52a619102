package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lesiontriage.deploy.kube.Kustomize;
import org.lesiontriage.deploy.kube.Objects;
import org.lesiontriage.deploy.kube.RenderedManifests;

/** Every kustomization an operator applies renders, and each object it renders is valid against its schema. */
@Tag("unit")
class RenderedOverlaysTest {

    static final List<String> APPLIED = ProjectFiles.APPLIED;

    @ParameterizedTest
    @FieldSource("APPLIED")
    void everyObjectIsValidAgainstItsSchema(String kustomization) {
        RenderedManifests manifests = ProjectFiles.rendered(kustomization);

        assertThat(manifests.objects()).isNotEmpty();
        assertThat(ProjectFiles.validator().problems(manifests.objects())).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("APPLIED")
    void noTwoObjectsShareAKindAndName(String kustomization) {
        Set<String> seen = new HashSet<>();
        for (var object : ProjectFiles.rendered(kustomization).objects()) {
            assertThat(seen.add(Objects.id(object))).as(Objects.id(object)).isTrue();
        }
    }

    @Test
    void everyKustomizationIsAppliedOrABaseOfOne() {
        Set<Path> reached = new HashSet<>();
        APPLIED.forEach(k -> reach(ProjectFiles.path(k).normalize(), reached));

        assertThat(Kustomize.kustomizations(ProjectFiles.path("k8s")).stream().map(Path::normalize))
                .allSatisfy(dir -> assertThat(reached).as("validated through an applied kustomization").contains(dir));
    }

    private static void reach(Path dir, Set<Path> reached) {
        if (!reached.add(dir)) {
            return;
        }
        var kustomization = YamlDocuments.readOne(dir.resolve("kustomization.yaml"));
        for (String field : List.of("bases", "resources")) {
            for (var entry : kustomization.path(field)) {
                Path target = dir.resolve(entry.asString()).normalize();
                if (target.resolve("kustomization.yaml").toFile().isFile()) {
                    reach(target, reached);
                }
            }
        }
    }
}
