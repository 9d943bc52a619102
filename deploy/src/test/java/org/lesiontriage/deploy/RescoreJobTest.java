package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lesiontriage.deploy.docker.Dockerfile;
import org.lesiontriage.deploy.kube.Objects;
import org.lesiontriage.deploy.kube.RenderedManifests;
import org.lesiontriage.triage.config.TriageSettings;
import org.lesiontriage.triage.rescore.RescoreCommand;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * The re-score Job starts as shipped: it reads the service's ConfigMaps under the names kustomize gave them, its
 * command line parses with bin/rescore's own options, its main class, class path, logging settings and model are in
 * the image, its work folder is on the claim the kustomization creates, and on the secured cluster it logs in as
 * its own KafkaUser and trusts the same CAs as the service.
 */
@Tag("unit")
class RescoreJobTest {

    static final List<String> JOBS = List.of(ProjectFiles.RESCORE, ProjectFiles.SECURED_RESCORE);

    /** The cluster the Job runs on: the plaintext one of overlays/cpu, or overlays/secured. */
    static RenderedManifests serviceOf(String job) {
        return ProjectFiles.rendered(job.equals(ProjectFiles.RESCORE) ? ProjectFiles.CPU : ProjectFiles.SECURED);
    }

    static CommandLine.ParseResult commandLine(JsonNode container) {
        return new CommandLine(new RescoreCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                .parseArgs(Objects.strings(container.path("args")).toArray(String[]::new));
    }

    @ParameterizedTest
    @FieldSource("JOBS")
    void theJobReadsTheServicesConfigMaps(String kustomization) {
        RenderedManifests manifests = ProjectFiles.rendered(kustomization);
        List<String> jobConfigMaps = AppContainer.rescoreJob(manifests).container().path("envFrom").findValuesAsString("name");
        List<String> serviceConfigMaps = AppContainer.service(serviceOf(kustomization)).container()
                .path("envFrom").findValuesAsString("name");

        // the same hashed names: the same content as the live service's
        assertThat(jobConfigMaps).isEqualTo(serviceConfigMaps);
        assertThat(jobConfigMaps).allSatisfy(name -> assertThat(manifests.configMap(name)).isPresent());
        TriageSettings job = TriageSettings.load(Map.of(), AppContainer.rescoreJob(manifests).runtimeEnvironment());
        TriageSettings live = TriageSettings.load(Map.of(), AppContainer.service(serviceOf(kustomization)).runtimeEnvironment());
        assertThat(job.applicationId()).isEqualTo(live.applicationId());
        assertThat(job.triage().topics().results()).isEqualTo(live.triage().topics().results());
        assertThat(job.bootstrapServers()).isEqualTo(live.bootstrapServers());
    }

    @ParameterizedTest
    @FieldSource("JOBS")
    void theCommandLineIsBinRescoresAndItsPartsAreInTheImage(String kustomization) {
        JsonNode container = AppContainer.rescoreJob(ProjectFiles.rendered(kustomization)).container();
        Dockerfile image = DockerImagesTest.dockerfileOf(container.path("image").asString());
        List<String> command = Objects.strings(container.path("command"));

        assertThat(command.get(0)).isEqualTo("java");
        assertThat(command.get(command.size() - 1)).isEqualTo(RescoreCommand.class.getName());
        String classPath = command.get(command.indexOf("-cp") + 1);
        for (String entry : classPath.split(":")) {
            String dir = entry.substring(0, entry.lastIndexOf("/*"));
            assertThat(image.contextPathOf(dir)).as(dir).hasValueSatisfying(source -> assertThat(source).contains("quarkus-app"));
        }
        String logging = command.stream().filter(a -> a.startsWith("-Dlogging.configuration=file:")).findFirst().orElseThrow()
                .substring("-Dlogging.configuration=file:".length());
        assertThat(image.contextPathOf(logging).map(ProjectFiles::path)).hasValueSatisfying(p -> assertThat(p).isRegularFile());

        CommandLine.ParseResult options = commandLine(container);
        assertThat(options.errors()).isEmpty();
        assertThat(options.matchedOptionValue("--device", null).toString()).isEqualTo("CPU");
    }

    @ParameterizedTest
    @FieldSource("JOBS")
    void theModelIsInTheImage(String kustomization) {
        AppContainer job = AppContainer.rescoreJob(ProjectFiles.rendered(kustomization));
        String model = commandLine(job.container()).matchedOptionValue("--model", null).toString();

        DockerImagesTest.assertModelInImage(job.image(), model);
    }

    @ParameterizedTest
    @FieldSource("JOBS")
    void theWorkFolderIsOnTheClaimTheKustomizationCreates(String kustomization) {
        RenderedManifests manifests = ProjectFiles.rendered(kustomization);
        JsonNode job = AppContainer.rescoreJob(manifests).workload();
        JsonNode container = AppContainer.rescoreJob(manifests).container();
        String workDir = commandLine(container).matchedOptionValue("--work-dir", null).toString();

        JsonNode volume = Pods.volumeHolding(job, container, workDir).orElseThrow();
        String claim = volume.at("/persistentVolumeClaim/claimName").asString();
        assertThat(manifests.has("PersistentVolumeClaim", claim)).as(claim).isTrue();
        assertThat(Pods.isWritable(job, container, workDir)).isTrue();
        assertThat(Pods.isWritable(job, container, "/tmp")).isTrue();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(Objects.podSpec(job).path("restartPolicy").asString()).isEqualTo("OnFailure");
    }

    @Test
    void theSecuredJobLogsInAsItsOwnUserAndTrustsTheServicesCas() {
        RenderedManifests manifests = ProjectFiles.rendered(ProjectFiles.SECURED_RESCORE);
        TransportSecurityAssertions.assertSecured(AppContainer.rescoreJob(manifests), "triage-rescore");

        RenderedManifests service = ProjectFiles.rendered(ProjectFiles.SECURED);
        JsonNode deployment = AppContainer.service(service).workload();
        for (String volume : List.of("kafka-ca", "registry-ca")) {
            assertThat(Objects.volume(Objects.podSpec(AppContainer.rescoreJob(manifests).workload()), volume))
                    .isEqualTo(Objects.volume(Objects.podSpec(deployment), volume));
        }
    }
}
