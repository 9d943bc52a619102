package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.deploy.docker.DockerIgnore;

/** The .dockerignore reading follows Docker's rules, on patterns of the kind the project's file uses. */
@Tag("unit")
class DockerIgnoreTest {

    @Test
    void aPatternExcludesItsMatchesAndEverythingBelowThem() {
        DockerIgnore ignore = DockerIgnore.of(List.of("runs", "*.log", "docs/*.png"));

        assertThat(ignore.excludes("runs/a/b.onnx")).isTrue();
        assertThat(ignore.excludes("build.log")).isTrue();
        assertThat(ignore.excludes("sub/build.log")).as("* stays in its segment").isFalse();
        assertThat(ignore.excludes("docs/a.png")).isTrue();
        assertThat(ignore.excludes("docs/x/a.png")).isFalse();
        assertThat(ignore.excludes("README.md")).isFalse();
    }

    @Test
    void doubleStarCrossesFoldersAndTheLastMatchingRuleWins() {
        DockerIgnore ignore = DockerIgnore.of(List.of("# comment", "**", "!keep/", "keep/**/golden/", "!./keep/x/golden/ok"));

        assertThat(ignore.excludes("anything/at/all")).isTrue();
        assertThat(ignore.excludes("keep/a/b")).isFalse();
        assertThat(ignore.excludes("keep/golden/g")).as("** matches no folder too").isTrue();
        assertThat(ignore.excludes("keep/a/b/golden/g")).isTrue();
        assertThat(ignore.excludes("keep/x/golden/ok")).isFalse();
    }
}
