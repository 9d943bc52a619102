package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lesiontriage.deploy.docker.Dockerfile;
import org.lesiontriage.deploy.kube.Objects;
import org.lesiontriage.deploy.kube.RenderedManifests;
import org.lesiontriage.triage.config.TriageSettings;
import tools.jackson.databind.JsonNode;

/**
 * The model admin Jobs (k8s/jobs/models/publish and activate, k8s/overlays/secured/models/* on the secured cluster)
 * start as shipped: bin/models' command line (the re-score Job's java, class path and logging, with the models
 * command's main class) and a subcommand with bin/models' arguments, the service's ConfigMaps, the published model
 * in the image and the activated release the one published; each runs once, bounded in time, reaches Kafka and the
 * registry and serves nothing; on the secured cluster it logs in as triage-models-admin and trusts the service's CAs.
 *
 * <p>The arguments are checked against bin/models' grammar as agreed (docs/model-lifecycle.md): publish MODEL_DIR,
 * activate NAME VERSION [--reason TEXT], rollback [--reason TEXT], status.
 */
@Tag("unit")
class ModelJobsTest {

    static final List<String> JOBS = ProjectFiles.MODEL_JOBS;
    static final List<String> PUBLISH = List.of(ProjectFiles.MODELS_PUBLISH, ProjectFiles.SECURED_MODELS_PUBLISH);
    static final List<String> SECURED = List.of(ProjectFiles.SECURED_MODELS_PUBLISH, ProjectFiles.SECURED_MODELS_ACTIVATE);

    /** Each subcommand of bin/models with its positional parameters and the options it takes (each with a value). */
    static final Map<String, List<String>> POSITIONALS = Map.of("publish", List.of("MODEL_DIR"),
            "activate", List.of("NAME", "VERSION"), "rollback", List.of(), "status", List.of());
    static final Map<String, Set<String>> OPTIONS = Map.of("publish", Set.of(), "activate", Set.of("--reason"),
            "rollback", Set.of("--reason"), "status", Set.of());

    /** bin/models' arguments, split up: the subcommand, its positional parameters, its options, what is wrong. */
    record ModelsArguments(String subcommand, List<String> positionals, Map<String, String> options, List<String> errors) {

        static ModelsArguments parse(List<String> args) {
            List<String> errors = new ArrayList<>();
            List<String> positionals = new ArrayList<>();
            Map<String, String> options = new LinkedHashMap<>();
            String subcommand = args.isEmpty() ? "" : args.get(0);
            if (!POSITIONALS.containsKey(subcommand)) {
                errors.add("no subcommand of bin/models: '" + subcommand + "'");
                return new ModelsArguments(subcommand, positionals, options, errors);
            }
            for (int i = 1; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.startsWith("-")) {
                    String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                    if (!OPTIONS.get(subcommand).contains(name)) {
                        errors.add(subcommand + " takes no option " + name);
                    } else if (arg.contains("=")) {
                        options.put(name, arg.substring(arg.indexOf('=') + 1));
                    } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                        options.put(name, args.get(++i));
                    } else {
                        errors.add(name + " needs a value");
                    }
                } else {
                    positionals.add(arg);
                }
            }
            if (positionals.size() != POSITIONALS.get(subcommand).size()) {
                errors.add(subcommand + " takes " + POSITIONALS.get(subcommand) + ", got " + positionals);
            }
            return new ModelsArguments(subcommand, positionals, options, errors);
        }
    }

    static boolean isSecured(String job) {
        return SECURED.contains(job);
    }

    /** The cluster the Job runs on: the plaintext one of overlays/cpu, or overlays/secured. */
    static RenderedManifests serviceOf(String job) {
        return ProjectFiles.rendered(isSecured(job) ? ProjectFiles.SECURED : ProjectFiles.CPU);
    }

    static ModelsArguments arguments(String job) {
        return ModelsArguments.parse(Objects.strings(AppContainer.modelsJob(ProjectFiles.rendered(job)).container().path("args")));
    }

    @Test
    void theArgumentCheckRejectsWhatBinModelsRejects() {
        for (List<String> bad : List.of(List.<String>of(), List.of("deploy", "triagenet"), List.of("publish"),
                List.of("publish", "a", "b"), List.of("activate", "triagenet"), List.of("activate", "triagenet", "1", "--reason"),
                List.of("activate", "triagenet", "1", "--force"), List.of("publish", "dir", "--reason", "x"),
                List.of("status", "triagenet"))) {
            assertThat(ModelsArguments.parse(bad).errors()).as(bad.toString()).isNotEmpty();
        }
        for (List<String> good : List.of(List.of("publish", "dir"), List.of("activate", "triagenet", "1"),
                List.of("activate", "triagenet", "1", "--reason", "why"), List.of("rollback", "--reason=why"),
                List.of("rollback"), List.of("status"))) {
            assertThat(ModelsArguments.parse(good).errors()).as(good.toString()).isEmpty();
        }
    }

    @ParameterizedTest
    @FieldSource("JOBS")
    void theArgumentsAreTheJobsSubcommandOfBinModels(String kustomization) {
        JsonNode job = AppContainer.modelsJob(ProjectFiles.rendered(kustomization)).workload();
        ModelsArguments arguments = arguments(kustomization);

        assertThat(arguments.errors()).isEmpty();
        String action = PUBLISH.contains(kustomization) ? "publish" : "activate";
        assertThat(arguments.subcommand()).isEqualTo(action);
        assertThat(Objects.name(job)).isEqualTo("triage-models-" + action);
        assertThat(job.at("/spec/template/metadata/labels/app.kubernetes.io~1component").asString()).isEqualTo(action);
    }

    @ParameterizedTest
    @FieldSource("JOBS")
    void theCommandLineIsTheRescoreJobsWithTheModelsCommand(String kustomization) {
        JsonNode container = AppContainer.modelsJob(ProjectFiles.rendered(kustomization)).container();
        String rescoreJob = isSecured(kustomization) ? ProjectFiles.SECURED_RESCORE : ProjectFiles.RESCORE;
        JsonNode rescore = AppContainer.rescoreJob(ProjectFiles.rendered(rescoreJob)).container();
        List<String> command = Objects.strings(container.path("command"));
        List<String> rescoreCommand = Objects.strings(rescore.path("command"));

        // the same java, options, class path and logging file (RescoreJobTest finds them in the image)
        assertThat(command.subList(0, command.size() - 1)).isEqualTo(rescoreCommand.subList(0, rescoreCommand.size() - 1));
        assertThat(command.get(command.size() - 1)).isEqualTo(AgreedNames.MODELS_COMMAND);
        // bin/models is part of the service: the image the service runs
        assertThat(container.path("image").asString()).isEqualTo(rescore.path("image").asString())
                .isEqualTo(AppContainer.service(serviceOf(kustomization)).container().path("image").asString());
    }

    @ParameterizedTest
    @FieldSource("JOBS")
    void theJobReadsTheServicesConfigMaps(String kustomization) {
        RenderedManifests manifests = ProjectFiles.rendered(kustomization);
        List<String> jobConfigMaps = AppContainer.modelsJob(manifests).container().path("envFrom").findValuesAsString("name");
        List<String> serviceConfigMaps = AppContainer.service(serviceOf(kustomization)).container()
                .path("envFrom").findValuesAsString("name");

        // the same hashed names: the same content as the live service's
        assertThat(jobConfigMaps).isEqualTo(serviceConfigMaps);
        assertThat(jobConfigMaps).allSatisfy(name -> assertThat(manifests.configMap(name)).isPresent());
        TriageSettings job = TriageSettings.load(Map.of(), AppContainer.modelsJob(manifests).runtimeEnvironment());
        TriageSettings live = TriageSettings.load(Map.of(), AppContainer.service(serviceOf(kustomization)).runtimeEnvironment());
        assertThat(job.applicationId()).isEqualTo(live.applicationId());
        assertThat(job.triage().topics().images()).isEqualTo(live.triage().topics().images());
        assertThat(job.bootstrapServers()).isEqualTo(live.bootstrapServers());
    }

    @ParameterizedTest
    @FieldSource("PUBLISH")
    void thePublishedModelIsInTheImage(String kustomization) {
        AppContainer job = AppContainer.modelsJob(ProjectFiles.rendered(kustomization));

        DockerImagesTest.assertModelInImage(job.image(), arguments(kustomization).positionals().get(0));
    }

    @Test
    void theActivatedReleaseIsTheOneThePublishJobPublishes() {
        for (List<String> cluster : List.of(List.of(ProjectFiles.MODELS_PUBLISH, ProjectFiles.MODELS_ACTIVATE),
                List.of(ProjectFiles.SECURED_MODELS_PUBLISH, ProjectFiles.SECURED_MODELS_ACTIVATE))) {
            Dockerfile image = AppContainer.modelsJob(ProjectFiles.rendered(cluster.get(0))).image();
            String modelDir = arguments(cluster.get(0)).positionals().get(0);
            JsonNode card = YamlDocuments.readOne(ProjectFiles.path(image.contextPathOf(modelDir).orElseThrow())
                    .resolve("model-card.json"));
            ModelsArguments activate = arguments(cluster.get(1));

            assertThat(activate.positionals()).as(cluster.get(1)).containsExactly(card.path("model_name").asString(),
                    card.path("model_version").asString());
            // the rollout record is the audit trail of what served when, and why
            assertThat(activate.options().get("--reason")).as(cluster.get(1)).isNotBlank();
        }
    }

    @ParameterizedTest
    @FieldSource("JOBS")
    void eachJobRunsOnceInBoundedTimeAndWritesOnlyScratch(String kustomization) {
        AppContainer app = AppContainer.modelsJob(ProjectFiles.rendered(kustomization));
        JsonNode job = app.workload();

        // a new pod per attempt (each attempt's log stays); an activation is never retried: a refusal is an answer
        assertThat(Objects.podSpec(job).path("restartPolicy").asString()).isEqualTo("Never");
        if (!PUBLISH.contains(kustomization)) {
            assertThat(job.at("/spec/backoffLimit").asInt(-1)).isZero();
        }
        assertThat(job.at("/spec/activeDeadlineSeconds").asInt()).isPositive();
        assertThat(job.at("/spec/ttlSecondsAfterFinished").asInt()).isPositive();
        assertThat(app.container().at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(Pods.isWritable(job, app.container(), "/tmp")).isTrue();
        assertThat(Objects.podSpec(job).path("serviceAccountName").asString()).isEqualTo("triage-models");
    }

    @ParameterizedTest
    @FieldSource("JOBS")
    void theJobReachesKafkaAndTheRegistryAndServesNothing(String kustomization) {
        AppContainer app = AppContainer.modelsJob(ProjectFiles.rendered(kustomization));
        Map<String, String> labels = Objects.map(app.workload().at("/spec/template/metadata/labels"));
        RenderedManifests cluster = ProjectFiles.rendered(ProjectFiles.CPU);
        JsonNode egress = cluster.get("NetworkPolicy", "lesion-triage-egress");
        JsonNode ingress = cluster.get("NetworkPolicy", "triage-models-ingress");
        Map<String, String> env = app.environment();

        assertThat(labels.entrySet()).containsAll(Objects.map(egress.at("/spec/podSelector/matchLabels")).entrySet());
        NetworkAssertions.assertEgressAllowed(env.get("KAFKA_BOOTSTRAP_SERVERS"), env.get("SCHEMA_REGISTRY_URL"));
        assertThat(labels.entrySet()).containsAll(Objects.map(ingress.at("/spec/podSelector/matchLabels")).entrySet());
        assertThat(Objects.strings(ingress.at("/spec/policyTypes"))).containsExactly("Ingress");
        assertThat(ingress.at("/spec/ingress").isMissingNode()).as("no ingress rule: nothing may connect").isTrue();
    }

    @ParameterizedTest
    @FieldSource("SECURED")
    void theSecuredJobLogsInAsTheModelsAdminAndTrustsTheServicesCas(String kustomization) {
        AppContainer app = AppContainer.modelsJob(ProjectFiles.rendered(kustomization));
        TransportSecurityAssertions.assertSecured(app, AgreedNames.MODELS_ADMIN_USER);

        JsonNode deployment = AppContainer.service(ProjectFiles.rendered(ProjectFiles.SECURED)).workload();
        for (String volume : List.of("kafka-ca", "registry-ca")) {
            assertThat(Objects.volume(Objects.podSpec(app.workload()), volume))
                    .isEqualTo(Objects.volume(Objects.podSpec(deployment), volume));
        }
    }

    @Test
    void theSecuredJobsCredentialPatchesAreAlike() throws IOException {
        // each kustomization reads only files below its own folder, so publish/ and activate/ hold a copy each
        String publish = Files.readString(ProjectFiles.path(ProjectFiles.SECURED_MODELS_PUBLISH).resolve("models-credentials.yaml"));
        String activate = Files.readString(ProjectFiles.path(ProjectFiles.SECURED_MODELS_ACTIVATE).resolve("models-credentials.yaml"));

        assertThat(activate).isEqualTo(publish).contains("name: " + AgreedNames.MODELS_ADMIN_USER);
    }
}
