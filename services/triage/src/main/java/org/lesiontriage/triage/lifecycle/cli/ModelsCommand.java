package org.lesiontriage.triage.lifecycle.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.ModelStatus;
import org.lesiontriage.contracts.PartitionOffset;
import org.lesiontriage.triage.config.TriageSettings;
import org.lesiontriage.common.labels.Label;
import org.lesiontriage.common.labels.LabelsFile;
import org.lesiontriage.contracts.CanaryScope;
import org.lesiontriage.triage.lifecycle.ActivationRefusedException;
import org.lesiontriage.common.rollout.CanaryClinics;
import org.lesiontriage.triage.lifecycle.PromotionGate;
import org.lesiontriage.triage.lifecycle.LifecycleView;
import org.lesiontriage.triage.lifecycle.ModelActivation;
import org.lesiontriage.triage.lifecycle.ModelKey;
import org.lesiontriage.triage.lifecycle.ReleaseBundle;
import org.lesiontriage.triage.lifecycle.ReleasePublisher;
import org.lesiontriage.triage.pipeline.PipelineAssembly;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/models}: publishes model releases, activates and rolls back versions, and shows where each instance
 * stands (docs/model-lifecycle.md). Its settings are the service's (application.properties, the TRIAGE_* and
 * KAFKA_* variables), so it talks to the cluster and topics the service uses.
 */
@Command(name = "bin/models", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publishes, activates and rolls back model versions of the triage service.",
        subcommands = {ModelsCommand.Publish.class, ModelsCommand.Activate.class, ModelsCommand.Rollback.class,
                ModelsCommand.Shadow.class, ModelsCommand.Canary.class, ModelsCommand.Status.class},
        footer = {"", "Exit status: 0 done, 1 refused or failed (nothing changed), 2 usage."})
public final class ModelsCommand implements Runnable {

    static final int REFUSED = 1;

    @Option(names = "--kafka-config", scope = CommandLine.ScopeType.INHERIT, description = "Kafka client properties "
            + "(security.protocol, sasl.*, ssl.*) and registry settings (schema.registry.*), for a secured cluster")
    Path kafkaConfig;

    @Option(names = "--by", scope = CommandLine.ScopeType.INHERIT, description = "who asks (recorded; default: $USER)")
    String by;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: publish, activate, rollback, shadow, canary or status");
    }

    PipelineAssembly pipeline() throws IOException {
        Map<String, String> settings = new HashMap<>();
        if (kafkaConfig != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(kafkaConfig)) {
                file.load(reader);
            }
            settings.putAll(TriageSettings.fromClientProperties(file));
        }
        // Publishing registers the lifecycle contracts, as the service's serializers do.
        settings.putIfAbsent("triage.schema-registry.auto-register", "true");
        return new PipelineAssembly(TriageSettings.load(settings));
    }

    String requestedBy() {
        return by != null ? by : System.getProperty("user.name", "unknown");
    }

    /** The lifecycle topics as the service reads them; the configured model is the version before any rollout. */
    LifecycleView view(PipelineAssembly pipeline) throws Exception {
        Path dir = Path.of(pipeline.config().model().dir());
        String root = System.getProperty("lesion.project.root");
        if (!dir.isAbsolute() && !Files.isDirectory(dir) && root != null) {
            dir = Path.of(root).resolve(dir); // bin/models run from another folder than the project's
        }
        ModelKey configured = ReleaseBundle.keyOf(dir);
        return new LifecycleView(pipeline.topics().images(), configured, pipeline.kafkaClientConfig(),
                pipeline.serdeConfig()).start(Duration.ofSeconds(60));
    }

    @Command(name = "publish", description = "Publishes a model folder (model.onnx, model-card.json, golden/) as a "
            + "release on triage-models; every instance prepares and checks it and reports READY or FAILED.")
    static final class Publish implements Callable<Integer> {
        @CommandLine.ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "MODEL_DIR")
        Path dir;

        @Option(names = "--onnx-path", description = "instead of carrying the model bytes, name the path where every "
                + "instance reads model.onnx (a shared volume)")
        String onnxPath;

        @Override
        public Integer call() throws Exception {
            PipelineAssembly pipeline = parent.pipeline();
            ModelRelease release = ReleaseBundle.fromFolder(dir, parent.requestedBy(), onnxPath);
            new ReleasePublisher(pipeline.kafkaClientConfig(), pipeline.serdeConfig()).publish(release);
            System.out.printf(Locale.ROOT, "published %s:%s (sha256 %s, %d golden images, contract %d)%n",
                    release.getName(), release.getVersion(), release.getSha256().substring(0, 12),
                    release.getGolden().size(), release.getContractVersion());
            return 0;
        }
    }

    @Command(name = "activate", description = "Makes a published version live for every clinic: refused unless the "
            + "promotion gate passes its shadow (or replay) results and every live instance reported it READY; then a "
            + "marker in every input partition and the rollout record, in one transaction.")
    static final class Activate implements Callable<Integer> {
        @CommandLine.ParentCommand
        ModelsCommand parent;

        @CommandLine.Mixin
        Version model = new Version();

        @Option(names = "--evidence", paramLabel = "TOPIC", description = "the candidate's results to judge: a replay's "
                + "output topic (bin/rescore --output; default: the shadow results since its latest shadow)")
        String evidence;

        @Option(names = "--since", paramLabel = "INSTANT", description = "judge only events received from then on, "
                + "e.g. 2026-12-07T08:00:00Z")
        java.time.Instant since;

        @Option(names = "--labels", paramLabel = "FILE", description = "event_id<TAB>label lines (bin/simulate "
                + "--labels-out): the sensitivity floor is judged on them")
        Path labels;

        @Option(names = "--force", description = "activate although the gate refuses (needs --reason; both recorded)")
        boolean force;

        @CommandLine.Mixin
        RolloutOptions options = new RolloutOptions();

        @Override
        public Integer call() throws Exception {
            PipelineAssembly pipeline = parent.pipeline();
            var evidenceOf = new PromotionGate.Evidence(evidence != null ? evidence
                    : pipeline.topics().shadowResults(), since, labelsOf(labels));
            var promotion = new ModelActivation.Promotion(pipeline.promotionGate(), evidenceOf, force);
            return parent.rollout(pipeline, activation -> activation.activate(model.key(), promotion,
                    options.reason, parent.requestedBy(), options.waitReady()));
        }

        private static Map<String, Label> labelsOf(Path file) throws IOException {
            Map<String, Label> labels = new HashMap<>();
            if (file != null) {
                LabelsFile.read(file).values().forEach(event -> labels.put(event.eventId(), event.label()));
            }
            return labels;
        }
    }

    @Command(name = "canary", description = "Serves the clinics named (or a stable hash fraction of them) with a "
            + "published version, live results with its version; the other clinics keep the live one. `activate` "
            + "promotes it to every clinic, `rollback` ends it.")
    static final class Canary implements Callable<Integer> {
        @CommandLine.ParentCommand
        ModelsCommand parent;

        @CommandLine.Mixin
        Version model = new Version();

        @Option(names = "--clinics", split = ",", paramLabel = "ID", description = "clinic ids served by the version")
        java.util.List<String> clinics = new java.util.ArrayList<>();

        @Option(names = "--fraction", paramLabel = "F", description = "also the clinics whose stable hash falls "
                + "below F (0..1); a larger F keeps every clinic a smaller one took")
        double fraction;

        @CommandLine.Mixin
        RolloutOptions options = new RolloutOptions();

        @Override
        public Integer call() throws Exception {
            var scope = new CanaryScope(java.util.List.copyOf(clinics), fraction);
            return parent.rollout(activation -> activation.canary(model.key(), scope, options.reason,
                    parent.requestedBy(), options.waitReady()));
        }
    }

    @Command(name = "rollback", description = "Activates the version live before the latest rollout (recorded as a "
            + "ROLLBACK; instances that unloaded it prepare it again first).")
    static final class Rollback implements Callable<Integer> {
        @CommandLine.ParentCommand
        ModelsCommand parent;

        @CommandLine.Mixin
        RolloutOptions options = new RolloutOptions();

        @Override
        public Integer call() throws Exception {
            return parent.rollout(activation -> activation.rollback(options.reason, parent.requestedBy(),
                    options.waitReady()));
        }
    }

    @Command(name = "shadow", description = "Makes a published version score every live batch beside the live one, "
            + "its results on triage-shadow-results only (recorded like a rollout); --stop ends it.")
    static final class Shadow implements Callable<Integer> {
        @CommandLine.ParentCommand
        ModelsCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", arity = "0..1")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION", arity = "0..1")
        String version;

        @Option(names = "--stop", description = "end the current shadow")
        boolean stop;

        @CommandLine.Mixin
        RolloutOptions options = new RolloutOptions();

        @Override
        public Integer call() throws Exception {
            if (stop == (name != null)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "give NAME VERSION, or --stop");
            }
            return parent.rollout(activation -> stop ? activation.shadowOff(options.reason, parent.requestedBy())
                    : activation.shadow(new ModelKey(name, version), options.reason, parent.requestedBy(),
                            options.waitReady()));
        }
    }

    @Command(name = "status", description = "Releases, what each instance reported, and the rollout history.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        ModelsCommand parent;

        @Override
        public Integer call() throws Exception {
            try (LifecycleView view = parent.view(parent.pipeline())) {
                print(view, System.out);
            }
            return 0;
        }
    }

    /** The published version a command names: NAME VERSION. */
    static final class Version {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        String version;

        ModelKey key() {
            return new ModelKey(name, version);
        }
    }

    /** What every rollout takes: why, and how long to wait for instances still preparing the version. */
    static final class RolloutOptions {
        @Option(names = "--reason", description = "why (recorded with the rollout)")
        String reason;

        @Option(names = "--wait-ready", defaultValue = "120s", description = "how long to wait for instances still "
                + "preparing the version, or preparing it again after they unloaded it (default 120s; 0s: refuse at once)")
        String waitReady;

        Duration waitReady() {
            return parseDuration(waitReady);
        }
    }

    interface RolloutStep {
        ModelRollout run(ModelActivation activation) throws Exception;
    }

    int rollout(RolloutStep step) throws Exception {
        return rollout(pipeline(), step);
    }

    int rollout(PipelineAssembly pipeline, RolloutStep step) throws Exception {
        try (LifecycleView view = view(pipeline); Admin admin = Admin.create(pipeline.kafkaClientConfig())) {
            var activation = new ModelActivation(view, admin, pipeline.settings().applicationId(),
                    pipeline.kafkaClientConfig(), pipeline.serdeConfig());
            ModelRollout rollout = step.run(activation);
            System.out.printf(Locale.ROOT, "%s %s:%s (%s), previous %s; ready on %s%n", rollout.getKind(),
                    rollout.getName(), rollout.getVersion(), rollout.getRolloutId(), rollout.getPreviousVersion(),
                    rollout.getReadyInstances().isEmpty() ? "no live instance" : String.join(", ", rollout.getReadyInstances()));
            if (rollout.getCanary() != null) {
                System.out.println("  for " + CanaryClinics.describe(rollout.getCanary()) + "; the other clinics keep "
                        + rollout.getPreviousVersion());
            }
            if (rollout.getGate() != null) {
                System.out.println("  gate" + (rollout.getGate().getForced() ? " (forced)" : "") + ": "
                        + rollout.getGate().getFindings());
            }
            for (PartitionOffset at : rollout.getOffsets()) {
                System.out.printf(Locale.ROOT, "  %s-%d scores with %s from offset %d%n", rollout.getInputTopic(),
                        at.getPartition(), rollout.getVersion(), at.getFromOffset());
            }
            return 0;
        } catch (ActivationRefusedException refused) {
            System.err.println("models: refused: " + refused.getMessage());
            return REFUSED;
        }
    }

    static void print(LifecycleView view, PrintStream out) {
        out.println("releases:");
        for (ModelRelease release : view.catalog().all()) {
            out.printf(Locale.ROOT, "  %s:%s  sha256 %s  contract %d  threshold %.4f  published %s by %s%n",
                    release.getName(), release.getVersion(), release.getSha256().substring(0, 12),
                    release.getContractVersion(), release.getThreshold(), release.getPublishedAt(), release.getPublishedBy());
        }
        out.println("instances:");
        for (ModelStatus status : view.statuses().all()) {
            out.printf(Locale.ROOT, "  %-28s %s:%s  %-9s %s%s%n", status.getInstance(), status.getName(),
                    status.getVersion(), status.getState(), status.getReportedAt(),
                    status.getReason() == null ? "" : "  " + status.getReason());
        }
        out.println("rollouts (oldest first):");
        for (ModelRollout rollout : view.history().all()) {
            out.printf(Locale.ROOT, "  %s  %-8s %s:%s  from %s  by %s%s%n", rollout.getRequestedAt(), rollout.getKind(),
                    rollout.getName(), rollout.getVersion(), rollout.getOffsets().stream()
                            .map(at -> at.getPartition() + ":" + at.getFromOffset()).toList(),
                    rollout.getRequestedBy(), rollout.getReason() == null ? "" : "  (" + rollout.getReason() + ")");
            if (rollout.getCanary() != null) {
                out.println("      canary for " + CanaryClinics.describe(rollout.getCanary()));
            }
            if (rollout.getGate() != null) {
                out.println("      gate" + (rollout.getGate().getForced() ? " (forced)" : "") + ": "
                        + rollout.getGate().getFindings());
            }
        }
    }

    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
        }
        if (value.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(value));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ModelsCommand()).execute(args));
    }
}
